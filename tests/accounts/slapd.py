"""A real OpenLDAP server for the tests: Debian's slapd on a free 127.0.0.1 port, with its own
configuration and database in a temporary directory and a small tree loaded with ldapadd.

The tree (dc=baiyin,dc=test):
- ou=people: zhangsan (张三, 党建部, organisation 财务部党支部), wangwu (王五, 检查组成员 and 党委领导),
  lisi (李四, disabled: the ppolicy overlay's administrative lock, pwdAccountLockedTime=000001010000Z,
  so the directory refuses the bind — what OpenLDAP sites do instead of deleting an account),
  changming (a cn longer than the portal's name column);
- ou=groups: groupOfNames dangjian, jiancha, lingdao, and a service account cn=portal for searches.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

SUFFIX = "dc=baiyin,dc=test"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "Root-Secret-2019"
SERVICE_DN = f"cn=portal,{SUFFIX}"
SERVICE_PASSWORD = "Portal-Bind-2019"
PASSWORD = "Dir-Pass-2019"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"

ROLE_GROUPS = {
    "党建部": f"cn=dangjian,{GROUPS}",
    "检查组成员": f"cn=jiancha,{GROUPS}",
    "党委领导": f"cn=lingdao,{GROUPS}",
}

SLAPD_CONF = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload ppolicy
pidfile {dir}/slapd.pid
argsfile {dir}/slapd.args
{tls}

database mdb
suffix "{suffix}"
rootdn "{root_dn}"
rootpw {root_password}
directory {dir}/data
maxsize 10485760
access to attrs=userPassword by anonymous auth by * none
access to * by dn.exact="{service_dn}" read by self read by * none
overlay ppolicy
ppolicy_default "cn=default,ou=policies,{suffix}"
"""


def person(uid: str, cn: str, *, org: str | None = None, extra: str = "") -> str:
    lines = [
        f"dn: uid={uid},{PEOPLE}",
        "objectClass: inetOrgPerson",
        f"uid: {uid}",
        f"cn: {cn}",
        f"sn: {cn[0]}",
        f"mail: {uid}@baiyin.test",
        f"userPassword: {PASSWORD}",
    ]
    if org:
        lines.append(f"departmentNumber: {org}")
    return "\n".join(lines) + ("\n" + extra if extra else "") + "\n"


def group(cn: str, *uids: str) -> str:
    # groupOfNames needs a member: the service account holds each group open when the last person leaves.
    members = "\n".join([f"member: {SERVICE_DN}", *(f"member: uid={uid},{PEOPLE}" for uid in uids)])
    return f"dn: cn={cn},{GROUPS}\nobjectClass: groupOfNames\ncn: {cn}\n{members}\n"


TREE = "\n".join(
    [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: baiyin\ndc: baiyin\n",
        f"dn: {SERVICE_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: portal\nuserPassword: {SERVICE_PASSWORD}\n",
        f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people\n",
        f"dn: {GROUPS}\nobjectClass: organizationalUnit\nou: groups\n",
        f"dn: ou=policies,{SUFFIX}\nobjectClass: organizationalUnit\nou: policies\n",
        f"dn: cn=default,ou=policies,{SUFFIX}\nobjectClass: device\nobjectClass: pwdPolicy\ncn: default\npwdAttribute: userPassword\npwdLockout: TRUE\n",
        person("zhangsan", "张三", org="财务部党支部"),
        person("wangwu", "王五"),
        person("lisi", "李四", extra="pwdAccountLockedTime: 000001010000Z"),
        person("changming", "国网白银供电公司" * 8),  # 64 characters: longer than the portal's name column
        group("dangjian", "zhangsan"),
        group("jiancha", "wangwu"),
        group("lingdao", "wangwu"),
    ]
)


def tools_missing() -> str | None:
    """Why the directory tests cannot run here, or None."""
    for tool in ("slapd", "ldapadd", "ldapmodify"):
        if not (shutil.which(tool) or Path("/usr/sbin", tool).exists()):
            return f"{tool} not installed (.ci/run installs slapd and ldap-utils)"
    if not Path("/usr/lib/ldap/back_mdb.so").exists():
        return "slapd's mdb backend module not found"
    try:
        import django_auth_ldap  # noqa: F401
        import ldap  # noqa: F401
    except ImportError:
        return "python-ldap / django-auth-ldap not installed (pip install -r requirements-ldap.txt)"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_certificates(root: Path, *, host: str = "127.0.0.1") -> dict[str, Path]:
    """A test CA and a server certificate for `host` signed by it (PEM files under `root`)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    root.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC)

    def name(cn: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    def builder(subject: str, issuer: str, key) -> x509.CertificateBuilder:
        return (
            x509.CertificateBuilder()
            .subject_name(name(subject))
            .issuer_name(name(issuer))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
        )

    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = (
        builder("Baiyin test CA", "Baiyin test CA", ca_key)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        builder(host, "Baiyin test CA", key)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = {"ca": root / "ca.pem", "cert": root / "server.pem", "key": root / "server.key"}
    paths["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths["cert"].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths["key"].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
        )
    )
    return paths


@dataclass
class Directory:
    root: Path
    port: int
    process: subprocess.Popen | None = None
    # With TLS, slapd offers StartTLS with a certificate of its own CA and refuses any operation on a
    # connection that did not start it ("security tls=1").
    tls: dict[str, Path] | None = None

    @property
    def uri(self) -> str:
        return f"ldap://127.0.0.1:{self.port}"

    def environ(self, **overrides: str) -> dict[str, str]:
        """The AUTH_LDAP_* variables a deployment would set for this directory."""
        import json

        env = {
            "AUTH_LDAP_SERVER_URI": self.uri,
            "AUTH_LDAP_BIND_DN": SERVICE_DN,
            "AUTH_LDAP_BIND_PASSWORD": SERVICE_PASSWORD,
            "AUTH_LDAP_USER_SEARCH_BASE": PEOPLE,
            "AUTH_LDAP_GROUP_SEARCH_BASE": GROUPS,
            "AUTH_LDAP_GROUP_TYPE": "groupOfNames",
            "AUTH_LDAP_ROLE_GROUPS": json.dumps(ROLE_GROUPS, ensure_ascii=False),
            "AUTH_LDAP_BRANCH_ATTR": "departmentNumber",
            "AUTH_LDAP_TIMEOUT": "3",
        }
        env.update(overrides)
        return env

    def start(self) -> None:
        (self.root / "data").mkdir(parents=True, exist_ok=True)
        conf = self.root / "slapd.conf"
        conf.write_text(
            SLAPD_CONF.format(
                dir=self.root,
                suffix=SUFFIX,
                root_dn=ROOT_DN,
                root_password=ROOT_PASSWORD,
                service_dn=SERVICE_DN,
                tls=(
                    f"TLSCACertificateFile {self.tls['ca']}\nTLSCertificateFile {self.tls['cert']}\n"
                    f"TLSCertificateKeyFile {self.tls['key']}\nsecurity tls=1"
                    if self.tls
                    else ""
                ),
            )
        )
        log = (self.root / "slapd.log").open("w")
        # -d keeps slapd in the foreground, so it is our child and stops with us.
        self.process = subprocess.Popen(
            ["slapd", "-f", str(conf), "-h", f"{self.uri}/", "-d", "0"], stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 15
        while True:
            if self.process.poll() is not None:
                raise RuntimeError("slapd exited: " + (self.root / "slapd.log").read_text()[-2000:])
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("slapd did not start listening") from None
                time.sleep(0.05)

    def load(self, ldif: str) -> None:
        self._tool("ldapadd", ldif)

    def modify(self, ldif: str) -> None:
        self._tool("ldapmodify", ldif)

    def remove_member(self, group_cn: str, uid: str) -> None:
        self.modify(f"dn: cn={group_cn},{GROUPS}\nchangetype: modify\ndelete: member\nmember: uid={uid},{PEOPLE}\n")

    def add_member(self, group_cn: str, uid: str) -> None:
        self.modify(f"dn: cn={group_cn},{GROUPS}\nchangetype: modify\nadd: member\nmember: uid={uid},{PEOPLE}\n")

    def delete_person(self, uid: str) -> None:
        self.modify(f"dn: uid={uid},{PEOPLE}\nchangetype: delete\n")

    def _tool(self, tool: str, ldif: str) -> None:
        tls = ["-ZZ"] if self.tls else []
        env = {**os.environ, "LDAPTLS_CACERT": str(self.tls["ca"])} if self.tls else None
        subprocess.run(
            [tool, "-x", *tls, "-H", self.uri, "-D", ROOT_DN, "-w", ROOT_PASSWORD],
            input=ldif.encode(),
            env=env,
            check=True,
            capture_output=True,
            timeout=30,
        )

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

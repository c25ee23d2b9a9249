"""Set up the provider's database: migrate, an RSA signing key, the portal's client and its people.

    python -m tests.accounts.oidc_provider.provision setup SPEC.json
    python -m tests.accounts.oidc_provider.provision roles USERNAME [ROLE …]   # change a person's roles

SPEC: {"client_id", "client_secret", "redirect_uri", "people": [{"username", "password", "name", "roles"}]}
"""

from __future__ import annotations

import json
import os
import sys


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.accounts.oidc_provider.settings")
    import django

    django.setup()
    from django.contrib.auth.models import Group, User

    if argv[0] == "roles":
        user = User.objects.get(username=argv[1])
        user.groups.set([Group.objects.get_or_create(name=role)[0] for role in argv[2:]])
        return
    spec_path = argv[1]
    from django.core.management import call_command
    from oidc_provider.models import Client, ResponseType

    spec = json.loads(open(spec_path, encoding="utf-8").read())
    call_command("migrate", verbosity=0, interactive=False)
    call_command("creatersakey", verbosity=0)
    client = Client.objects.create(
        name="红蓝榜",
        client_id=spec["client_id"],
        client_secret=spec["client_secret"],
        client_type="confidential",
        jwt_alg="RS256",
        require_consent=False,
    )
    client.redirect_uris = [spec["redirect_uri"]]
    client.save()
    client.response_types.set([ResponseType.objects.get(value="code")])
    for person in spec["people"]:
        set_person(person, User=User, Group=Group)


def set_person(person: dict, *, User, Group) -> None:
    user, _ = User.objects.get_or_create(username=person["username"])
    user.first_name = person["name"]
    user.email = f"{person['username']}@baiyin.test"
    user.set_password(person["password"])
    user.save()
    user.groups.set([Group.objects.get_or_create(name=role)[0] for role in person["roles"]])


if __name__ == "__main__":
    main(sys.argv[1:])

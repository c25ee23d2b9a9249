# Production image: gunicorn + whitenoise; the same image runs the Celery worker and beat.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt requirements-ldap.txt ./
# python-ldap (LDAP / AD sign-in) compiles against libldap and libsasl.
RUN apt-get update && apt-get install -y --no-install-recommends libldap2-dev libsasl2-dev gcc \
    && rm -rf /var/lib/apt/lists/* \
    && pip install --no-cache-dir -r requirements.txt -r requirements-ldap.txt
COPY . .
RUN DJANGO_SETTINGS_MODULE=baiyin_eval.settings.local python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "baiyin_eval.wsgi:application"]

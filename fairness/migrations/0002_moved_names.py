"""After the move (issue 16): the content types point at the new app, so admin permissions granted
before it carry over. (Follow-up jobs keep their names: boards.followups.)"""

from django.db import migrations

MODELS = ("severityreportrecord",)


def forward(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label="fairness", model=model).exists():
            ContentType.objects.filter(app_label="scoring", model=model).update(app_label="fairness")


def backward(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label="scoring", model=model).exists():
            ContentType.objects.filter(app_label="fairness", model=model).update(app_label="scoring")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("boards", "0011_follow_ups"),
        ("scoring", "0006_severity_report_to_fairness"),
        ("fairness", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]

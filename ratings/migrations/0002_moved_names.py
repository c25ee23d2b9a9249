"""After the move (issue 16): the content types point at the new app, so admin permissions granted
before it carry over. (Follow-up jobs keep their names: boards.followups.)"""

from django.db import migrations

MODELS = ("starlevel", "starrating")


def forward(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label="ratings", model=model).exists():
            ContentType.objects.filter(app_label="boards", model=model).update(app_label="ratings")


def backward(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label="boards", model=model).exists():
            ContentType.objects.filter(app_label="ratings", model=model).update(app_label="boards")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("boards", "0013_star_models_to_ratings"),
        ("ratings", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]

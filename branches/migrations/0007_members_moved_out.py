from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("branches", "0006_user_never_deleted"),
    ]

    # Party members and their points moved to the members app (issue 16). Only Django's idea of
    # the models changes here: the tables stay as they are (members.0001 takes them over by name).
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="memberranking",
                    name="branch",
                ),
                migrations.RemoveField(
                    model_name="memberranking",
                    name="published_by",
                ),
                migrations.RemoveField(
                    model_name="partymember",
                    name="branch",
                ),
                migrations.DeleteModel(
                    name="MemberPoint",
                ),
                migrations.DeleteModel(
                    name="MemberRanking",
                ),
                migrations.DeleteModel(
                    name="PartyMember",
                ),
            ],
            database_operations=[],
        ),
    ]

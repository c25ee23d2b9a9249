"""StarLevel and StarRating now belong to ratings (ratings.0001): boards forgets them, the tables stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("boards", "0012_board_score_keys_unconstrained"),
        ("ratings", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="StarRating"),
                migrations.DeleteModel(name="StarLevel"),
            ],
            database_operations=[],
        ),
    ]

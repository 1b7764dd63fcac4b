from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="organization",
            name="time_zone",
            field=models.CharField(default="UTC", max_length=64),
        ),
        migrations.AlterField(
            model_name="user",
            name="time_zone",
            field=models.CharField(default="UTC", max_length=64),
        ),
    ]

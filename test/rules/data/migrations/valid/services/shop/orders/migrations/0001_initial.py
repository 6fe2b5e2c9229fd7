from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    operations = [migrations.CreateModel(name="Order", fields=[("sku", models.CharField(max_length=64))])]

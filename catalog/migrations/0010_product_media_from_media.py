"""Product photos, video and social images become catalog models; their data stays put.

They used to be models of the media app. Their tables keep their names (``media_productphoto``,
``media_historicalproductphoto`` with its modeltranslation columns, ``media_productvideo``,
``media_socialimage``): a database that already has them (made before the move) keeps them as
they are, and only the migration state moves; a new database gets them here. Content types
are moved to the catalog, so admin log entries, history links and permissions (and the role
groups holding them) carry on.
"""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models


class CreateModelKeepingTable(migrations.CreateModel):
    """``CreateModel`` whose table is created only where it does not exist yet."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.name)
        with schema_editor.connection.cursor() as cursor:
            tables = schema_editor.connection.introspection.table_names(cursor)
        if model._meta.db_table not in tables:
            super().database_forwards(app_label, schema_editor, from_state, to_state)


MOVED = ("productphoto", "historicalproductphoto", "productvideo", "socialimage")


def content_types_to_catalog(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(ContentType.objects.filter(app_label="catalog", model__in=MOVED)
                .values_list("model", flat=True))
    ContentType.objects.filter(app_label="media", model__in=set(MOVED) - taken).update(
        app_label="catalog")
    # A new database made the role groups before these models were the catalog's.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    from catalog.services.roles import roles_setup

    roles_setup(Group=apps.get_model("auth", "Group"),
                Permission=apps.get_model("auth", "Permission"))


def content_types_to_media(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="catalog", model__in=MOVED).update(app_label="media")


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0009_channel_returns_policy_history'),
        ('media', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        CreateModelKeepingTable(
            name='HistoricalProductPhoto',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(db_index=True, default=0)),
                ('role', models.CharField(choices=[('front', 'Front'), ('back', 'Back'), ('side', 'Side'), ('detail', 'Detail'), ('on_model', 'On model'), ('flat_lay', 'Flat lay')], default='front', max_length=10)),
                ('alt_text', models.CharField(blank=True, help_text='What the photo shows, for screen readers and search engines.', max_length=250, verbose_name='alt text')),
                ('alt_text_en', models.CharField(blank=True, help_text='What the photo shows, for screen readers and search engines.', max_length=250, null=True, verbose_name='alt text')),
                ('alt_text_fr', models.CharField(blank=True, help_text='What the photo shows, for screen readers and search engines.', max_length=250, null=True, verbose_name='alt text')),
                ('alt_text_pl', models.CharField(blank=True, help_text='What the photo shows, for screen readers and search engines.', max_length=250, null=True, verbose_name='alt text')),
                ('alt_text_zh_hans', models.CharField(blank=True, help_text='What the photo shows, for screen readers and search engines.', max_length=250, null=True, verbose_name='alt text')),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('updated_at', models.DateTimeField(blank=True, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('asset', models.ForeignKey(blank=True, db_constraint=False, limit_choices_to={'kind': 'image'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='media.asset')),
                ('colour', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='catalog.colour')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical product photo',
                'verbose_name_plural': 'historical product photos',
                'db_table': 'media_historicalproductphoto',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        CreateModelKeepingTable(
            name='ProductVideo',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('poster', models.ForeignKey(help_text='The still shown before the video plays.', limit_choices_to={'kind': 'image'}, on_delete=django.db.models.deletion.PROTECT, related_name='video_posters', to='media.asset')),
                ('product', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='video', to='catalog.product')),
                ('video', models.ForeignKey(limit_choices_to={'kind': 'video'}, on_delete=django.db.models.deletion.PROTECT, related_name='videos', to='media.asset')),
            ],
            options={
                'db_table': 'media_productvideo',
            },
        ),
        CreateModelKeepingTable(
            name='ProductPhoto',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(db_index=True, default=0)),
                ('role', models.CharField(choices=[('front', 'Front'), ('back', 'Back'), ('side', 'Side'), ('detail', 'Detail'), ('on_model', 'On model'), ('flat_lay', 'Flat lay')], default='front', max_length=10)),
                ('alt_text', models.CharField(blank=True, help_text='What the photo shows, for screen readers and search engines.', max_length=250, verbose_name='alt text')),
                ('alt_text_en', models.CharField(blank=True, help_text='What the photo shows, for screen readers and search engines.', max_length=250, null=True, verbose_name='alt text')),
                ('alt_text_fr', models.CharField(blank=True, help_text='What the photo shows, for screen readers and search engines.', max_length=250, null=True, verbose_name='alt text')),
                ('alt_text_pl', models.CharField(blank=True, help_text='What the photo shows, for screen readers and search engines.', max_length=250, null=True, verbose_name='alt text')),
                ('alt_text_zh_hans', models.CharField(blank=True, help_text='What the photo shows, for screen readers and search engines.', max_length=250, null=True, verbose_name='alt text')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('asset', models.ForeignKey(limit_choices_to={'kind': 'image'}, on_delete=django.db.models.deletion.PROTECT, related_name='photos', to='media.asset')),
                ('colour', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='photos', to='catalog.colour')),
            ],
            options={
                'db_table': 'media_productphoto',
                'ordering': ['position', 'id'],
                'constraints': [models.UniqueConstraint(fields=('colour', 'asset'), name='photo_unique_per_colour', violation_error_message='This photo is already on this colour.')],
            },
        ),
        CreateModelKeepingTable(
            name='SocialImage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('ratio', models.CharField(choices=[('1x1', '1:1 (feed)'), ('4x5', '4:5 (portrait feed)'), ('9x16', '9:16 (stories, reels)')], max_length=4)),
                ('focal_x', models.PositiveSmallIntegerField(default=50, help_text='Where the crop centres, from the left edge, in percent.', validators=[django.core.validators.MaxValueValidator(100)], verbose_name='focal point x (%)')),
                ('focal_y', models.PositiveSmallIntegerField(default=50, help_text='Where the crop centres, from the top edge, in percent.', validators=[django.core.validators.MaxValueValidator(100)], verbose_name='focal point y (%)')),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('alt_text', models.CharField(blank=True, max_length=250, verbose_name='alt text')),
                ('alt_text_en', models.CharField(blank=True, max_length=250, null=True, verbose_name='alt text')),
                ('alt_text_fr', models.CharField(blank=True, max_length=250, null=True, verbose_name='alt text')),
                ('alt_text_pl', models.CharField(blank=True, max_length=250, null=True, verbose_name='alt text')),
                ('alt_text_zh_hans', models.CharField(blank=True, max_length=250, null=True, verbose_name='alt text')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('asset', models.ForeignKey(limit_choices_to={'kind': 'image'}, on_delete=django.db.models.deletion.PROTECT, related_name='social_images', to='media.asset')),
                ('product', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='social_images', to='catalog.product')),
            ],
            options={
                'db_table': 'media_socialimage',
                'ordering': ['position', 'id'],
                'constraints': [models.UniqueConstraint(fields=('product', 'asset', 'ratio'), name='social_image_unique_crop', violation_error_message='This image already has this crop for this product.'), models.CheckConstraint(condition=models.Q(('focal_x__lte', 100), ('focal_y__lte', 100)), name='social_image_focal_in_range')],
            },
        ),
        migrations.RunPython(content_types_to_catalog, content_types_to_media),
    ]

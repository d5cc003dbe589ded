from creators import services
from creators.management.importing import ImportCommand


class Command(ImportCommand):
    help = "Import posts from a CSV file (CONTRACT section 4); all or nothing."
    import_service = staticmethod(services.posts_import)

from creators import services
from creators.management.importing import ImportCommand


class Command(ImportCommand):
    help = "Import creators and their social accounts from a CSV file (CONTRACT section 4); all or nothing."
    import_service = staticmethod(services.creators_import)

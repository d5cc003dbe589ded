"""What campaigns tells the apps above it, which it may not import (outreach stops a sequence when its
collaboration moves on, at once rather than at its next scheduled message)."""

from django.dispatch import Signal

# Sent once a collaboration has moved, inside the moving transaction: collaboration, stage, by_creator.
collaboration_moved = Signal()

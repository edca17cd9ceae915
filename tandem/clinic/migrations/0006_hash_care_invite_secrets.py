# The care invites already stored: their link tokens and codes are replaced by
# keyed hashes, so links and codes already sent keep working (see
# tandem/core/invites.py). Reversed, each gets a fresh token and code: a hash
# can't be turned back into the secret.

from django.db import migrations

import tandem.core.invites


class Migration(migrations.Migration):

    dependencies = [
        ("clinic", "0005_care_invite_hashes"),
    ]

    operations = [
        tandem.core.invites.hash_existing_invites("clinic", "CareInvite"),
    ]

"""What a new application "from this household" starts with: the parts one household
has in common, taken from the file open now — never anything of one person.

Shared, and why:
- the city's rules (``profile_id``): the household enrols at the same service point;
- the household register (``hukou``: type, region, region code, address): one register
  for everybody on it;
- where the household lives (``residence.city`` and ``residence.address``): one home.
  Not ``living_since`` (people move in at different times) nor the residence permit's
  number and validity (each person has their own permit);
- the register's head page (``hukou_head_page``), given once for the household (issue 17).

Not shared: name, ID number, sex, birth date and ID validity; contact (a person's own
phone), employment, scheme, bank account and guardian; ID card sides, the personal page
of the register, photos, the residence permit, proofs of employment — and the members.
"""

from __future__ import annotations

from forms.application import Application, Residence

SHARED_MATERIALS = ("hukou_head_page",)


def household_start(app: Application) -> Application:
    """A new, otherwise empty application with the household's shared parts (its head
    page listed by the same file name: the caller copies the file)."""
    materials = [m.model_copy(update={"member": None}) for m in app.materials
                 if m.member is None and m.kind in SHARED_MATERIALS]
    return Application(
        profile_id=app.profile_id,
        hukou=app.hukou.model_copy(),
        residence=Residence(city=app.residence.city, address=app.residence.address),
        materials=materials)

"""Region profiles: each city's requirements as dated, sourced data (resources/profiles)."""

from forms.profiles.dated import Dated, Resolved
from forms.profiles.loader import available_profiles, load_profile
from forms.profiles.schema import Profile

__all__ = ["Dated", "Profile", "Resolved", "available_profiles", "load_profile"]

"""One exception hierarchy for the domain.

Each error carries a catalog key (``code``) and parameters instead of a sentence, so the
command line and the GUI can both say it in the user's language. ``str()`` stays useful
for logs and developers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forms.findings import Finding


class FormsError(Exception):
    """Base of every error the domain raises on purpose."""

    code: str = "error.unexpected"

    def __init__(self, detail: str = "", **params: Any) -> None:
        super().__init__(detail or self.code)
        self.detail = detail
        self.params: dict[str, Any] = {"detail": detail, **params}


class FileUnreadable(FormsError):
    code = "error.file_unreadable"


class FileMissing(FormsError):
    code = "error.file_missing"


class ApplicationMalformed(FormsError):
    code = "error.application_malformed"


class ArchiveCorrupt(FormsError):
    code = "error.archive_corrupt"


class ArchiveMemberMissing(FormsError):
    code = "error.archive_member_missing"


class ArchiveUnsafe(FormsError):
    code = "error.archive_unsafe"


class MaterialUnsafe(FormsError):
    """A material named in an application file that must not be read or written: its
    path leaves its folder, it is not a regular file, or its name cannot be made safe."""

    code = "error.material_unsafe"


class SchemaTooNew(FormsError):
    code = "error.schema_too_new"


class UnknownProfile(FormsError):
    code = "error.unknown_profile"


class ProfileInvalid(FormsError):
    code = "error.profile_invalid"


class SaveFailed(FormsError):
    code = "error.save_failed"


class DiskFull(SaveFailed):
    code = "error.disk_full"


class PermissionDenied(SaveFailed):
    code = "error.permission_denied"


class NoSpace(FormsError):
    """No room left in a folder the program needed for its own work (the temporary
    folder, the work folder), as opposed to the file being saved (DiskFull)."""

    code = "error.no_space"


class ImageUnusable(FormsError):
    """A file that cannot serve as an image at all (``reason`` says why)."""

    code = "error.image_unusable"


class FontMissing(FormsError):
    """No embeddable Chinese TrueType font; the message names what to install."""

    code = "error.font_missing"


class FontUnusable(FormsError):
    code = "error.font_unusable"


class Cancelled(FormsError):
    code = "error.cancelled"


class NotReady(FormsError):
    """The application still has errors and a final (non-draft) packet was asked for."""

    code = "error.not_ready"

    def __init__(self, findings: list[Finding],
                 by_member: dict[str, list[Finding]] | None = None) -> None:
        super().__init__(f"{len(findings)} finding(s)", count=len(findings))
        self.findings = findings
        # a household's packet: each person's findings by Person.key (whose they are)
        self.by_member = by_member or {}


class OcrUnavailable(FormsError):
    """The OCR engine cannot load here; everything else keeps working."""

    code = "error.ocr_unavailable"


class PassphraseNeeded(FormsError):
    code = "error.passphrase_needed"


class PassphraseWrong(FormsError):
    code = "error.passphrase_wrong"


class BadArgument(FormsError):
    code = "error.bad_argument"


class BadDate(BadArgument):
    code = "error.bad_date"


ERROR_CLASSES: tuple[type[FormsError], ...] = (
    FormsError,
    FileUnreadable,
    FileMissing,
    ApplicationMalformed,
    ArchiveCorrupt,
    ArchiveMemberMissing,
    ArchiveUnsafe,
    MaterialUnsafe,
    SchemaTooNew,
    UnknownProfile,
    ProfileInvalid,
    SaveFailed,
    DiskFull,
    PermissionDenied,
    NoSpace,
    ImageUnusable,
    FontMissing,
    FontUnusable,
    Cancelled,
    NotReady,
    OcrUnavailable,
    PassphraseNeeded,
    PassphraseWrong,
    BadArgument,
    BadDate,
)

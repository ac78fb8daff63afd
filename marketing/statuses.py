"""The statuses and kinds of the content library, and the sets of them that rules read."""

from django.db import models


class AssetKind(models.TextChoices):
    CASE_STUDY = "case_study", "Case study"
    QUOTE = "quote", "Quote"
    VIDEO = "video", "Video"
    SLIDE = "slide", "Slide"
    LOGO_PERMISSION = "logo_permission", "Logo permission"
    PRESS_RELEASE = "press_release", "Press release"
    REVIEW = "review", "Review"
    ROI_PROOF_POINT = "roi_proof_point", "ROI proof point"


class AssetStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    CUSTOMER_APPROVAL = "customer_approval", "Customer approval"
    LEGAL_REVIEW = "legal_review", "Legal review"
    PUBLISHED = "published", "Published"
    EXPIRED = "expired", "Expired"
    WITHDRAWN = "withdrawn", "Withdrawn"


class UsageRights(models.TextChoices):
    """Who an asset may reach: anyone (a sales rep may share it), staff only, or under NDA."""

    PUBLIC = "public", "Public"
    INTERNAL = "internal", "Internal only"
    NDA = "nda", "Under NDA"


class PermissionKind(models.TextChoices):
    """What a customer account may permit marketing to do with its name."""

    LOGO = "logo", "Logo"
    NAME_DROP = "name_drop", "Name drop"
    QUOTE = "quote", "Quote"
    CASE_STUDY = "case_study", "Case study"
    PRESS = "press", "Press"


class PermissionState(models.TextChoices):
    GRANTED = "granted", "Granted"
    DENIED = "denied", "Denied"
    UNKNOWN = "unknown", "Unknown"


# Assets still on their way to publication.
IN_APPROVAL_STATUSES = (AssetStatus.DRAFT, AssetStatus.CUSTOMER_APPROVAL, AssetStatus.LEGAL_REVIEW)
# Assets that are no longer in use.
ENDED_STATUSES = (AssetStatus.EXPIRED, AssetStatus.WITHDRAWN)
# Assets a keeper may still take out of use (withdraw).
LIVE_STATUSES = (*IN_APPROVAL_STATUSES, AssetStatus.PUBLISHED, AssetStatus.EXPIRED)


class AssetAction(models.TextChoices):
    """What an `AssetEvent` records: a move of the approval workflow, or an edit worth keeping."""

    CREATE = "create", "Created"
    EDIT = "edit", "Edited"
    SUBMIT = "submit", "Sent for customer approval"
    CUSTOMER_APPROVED = "customer_approved", "Customer approval recorded"
    PUBLISH = "publish", "Legal review approved and published"
    SEND_BACK = "send_back", "Sent back to draft"
    WITHDRAW = "withdraw", "Withdrawn"
    EXPIRE = "expire", "Expired"


# The one mapping of what each kind of asset needs every account it names to have granted before
# it is published, and while it stays published. A video or slide tells the customer's story
# (a case study's consent); a review or an ROI figure names the customer (a name drop).
NEEDED_PERMISSION: dict[str, str] = {
    AssetKind.CASE_STUDY: PermissionKind.CASE_STUDY,
    AssetKind.VIDEO: PermissionKind.CASE_STUDY,
    AssetKind.QUOTE: PermissionKind.QUOTE,
    AssetKind.LOGO_PERMISSION: PermissionKind.LOGO,
    AssetKind.PRESS_RELEASE: PermissionKind.PRESS,
    AssetKind.SLIDE: PermissionKind.NAME_DROP,
    AssetKind.REVIEW: PermissionKind.NAME_DROP,
    AssetKind.ROI_PROOF_POINT: PermissionKind.NAME_DROP,
}


def kinds_needing(permission: str) -> list[str]:
    """The asset kinds that need `permission`."""
    return [kind for kind, needed in NEEDED_PERMISSION.items() if needed == permission]

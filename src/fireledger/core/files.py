"""Serving a stored upload (photos, signatures, reports) to a user who may see it: never a
public file, so every view checks scope first and then answers through here."""

from django.http import FileResponse, Http404

PRIVATE_CACHE = "private, max-age=86400"


def stored_file_response(field, *, cache: str = PRIVATE_CACHE, **kwargs) -> FileResponse:
    """The file behind a FileField/ImageField; 404 when storage has lost it. kwargs go to
    FileResponse (content_type, as_attachment, filename)."""
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, **kwargs)
    response["Cache-Control"] = cache
    return response


def image_format(upload) -> str | None:
    """The format Pillow reads from an upload's bytes ("JPEG", "PNG", "WEBP" …), or None when
    they are not a whole image: the name and the browser's content type are not trusted. The
    upload is rewound either way."""
    from PIL import Image, UnidentifiedImageError

    try:
        upload.seek(0)
        with Image.open(upload) as image:
            found = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        found = None
    finally:
        upload.seek(0)
    return found

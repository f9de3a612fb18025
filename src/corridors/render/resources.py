"""Static resources of the generated HTML: vendored libraries read from the installed
``xstatic`` packages (never copied into this repository) and the project's own assets.

The project's script is the files of ``assets/js`` concatenated in the order of
:data:`JS_FILES`, and its styles ``assets/corridors.css``; nothing is minified.

The scripts are packed (:func:`packed_scripts`): Leaflet, jQuery when needed and the
project's script are concatenated, gzip-compressed (fixed header, so the same bytes every
time) and base64-encoded into one inline call of ``corridorsBoot`` (``assets/boot.js``),
which decodes them with the browser's ``DecompressionStream`` and runs them before the
page's own script (queued with ``corridorsReady``). Measured on the default atlas
(2026-12-02): Leaflet 148 KB + corridors.js 55 KB inline became 77 KB packed, the page
0.48 MB → 0.36 MB (with later features: 307 KB of scripts → 120 KB packed); the licence
notices also stay readable as plain comments.

Leaflet and jQuery are inlined with their licence notices. Leaflet's CSS images are
inlined as ``data:`` URIs, and ``//# sourceMappingURL`` comments are dropped, so the page
requests nothing at run time.
"""

from __future__ import annotations

import base64
import gzip
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

__all__ = [
    "CSS_FILES",
    "JQUERY_CDN",
    "JS_FILES",
    "LAB_JS_FILES",
    "LEAFLET_CDN_CSS",
    "LEAFLET_CDN_JS",
    "jquery_js",
    "leaflet_css",
    "leaflet_icon_script",
    "leaflet_js",
    "own_css",
    "own_js",
    "packed_scripts",
    "unpack_scripts",
    "vendor_versions",
]

LEAFLET_CDN_JS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"
LEAFLET_CDN_CSS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"
JQUERY_CDN = "https://code.jquery.com/jquery-3.7.1.min.js"

#: The files of the map's script (``assets/js``), in the order they are concatenated:
#: ``base.js`` opens the one function they all live in, ``app.js`` closes it.
JS_FILES: tuple[str, ...] = (
    "base.js",
    "decode.js",
    "popups.js",
    "layers.js",
    "projects.js",
    "controls.js",
    "search.js",
    "measure.js",
    "caption.js",
    "labels.js",
    "export.js",
    "lab.js",
    "labpanel.js",
    "app.js",
)

#: The map's style sheets (``assets``), concatenated in this order.
CSS_FILES: tuple[str, ...] = ("corridors.css", "caption.css")

_LEAFLET_LICENCE = """\
Leaflet {version}, https://leafletjs.com (BSD-2-Clause licence)
Copyright (c) 2010-2022, Vladimir Agafonkin
Copyright (c) 2010-2011, CloudMade
All rights reserved.

Redistribution and use in source and binary forms, with or without modification, are
permitted provided that the following conditions are met:

  1. Redistributions of source code must retain the above copyright notice, this list of
     conditions and the following disclaimer.
  2. Redistributions in binary form must reproduce the above copyright notice, this list
     of conditions and the following disclaimer in the documentation and/or other
     materials provided with the distribution.

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY
EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF
MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL THE
COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL,
EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF
SUBSTITUTE GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION)
HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR
TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE OF THIS
SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
Inlined from the XStatic-Leaflet package by corridors.render."""

_JQUERY_LICENCE = """\
jQuery {version}, https://jquery.com (MIT licence)
Copyright OpenJS Foundation and other contributors, https://openjsf.org/

Permission is hereby granted, free of charge, to any person obtaining a copy of this
software and associated documentation files (the "Software"), to deal in the Software
without restriction, including without limitation the rights to use, copy, modify,
merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit
persons to whom the Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED,
INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR
PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE
FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
DEALINGS IN THE SOFTWARE.
Inlined from the XStatic-jQuery package by corridors.render."""

_SOURCE_MAP = re.compile(r"^\s*//[#@]\s*sourceMappingURL=.*$", re.MULTILINE)
_CSS_SOURCE_MAP = re.compile(r"/\*[#@]\s*sourceMappingURL=.*?\*/", re.DOTALL)
_CSS_URL = re.compile(r"url\((['\"]?)images/([A-Za-z0-9._-]+)\1\)")


def _leaflet_pkg():
    import xstatic.pkg.leaflet as pkg

    return pkg


def _jquery_pkg():
    import xstatic.pkg.jquery as pkg

    return pkg


def _read(base: str, name: str) -> str:
    return (Path(base) / name).read_text(encoding="utf-8")


def _script_safe(js: str) -> str:
    """Make library code safe to place inside ``<script>…</script>``."""
    js = _SOURCE_MAP.sub("", js)
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)


def _comment(text: str) -> str:
    return "/*!\n" + text.replace("*/", "* /") + "\n*/\n"


def vendor_versions() -> dict[str, str]:
    """Versions of the inlined libraries, e.g. ``{"leaflet": "1.9.3", "jquery": "3.7.1"}``."""
    return {"leaflet": _leaflet_pkg().VERSION, "jquery": _jquery_pkg().VERSION}


@lru_cache(maxsize=1)
def leaflet_js() -> str:
    """Minified Leaflet from XStatic-Leaflet, with its licence notice."""
    pkg = _leaflet_pkg()
    code = _script_safe(_read(pkg.BASE_DIR, "leaflet.js"))
    return _comment(_LEAFLET_LICENCE.format(version=pkg.VERSION)) + code.rstrip() + "\n"


@lru_cache(maxsize=1)
def jquery_js() -> str:
    """Minified jQuery from XStatic-jQuery, with its licence notice."""
    pkg = _jquery_pkg()
    code = _script_safe(_read(pkg.BASE_DIR, "jquery.min.js"))
    return _comment(_JQUERY_LICENCE.format(version=pkg.VERSION)) + code.rstrip() + "\n"


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


@lru_cache(maxsize=2)
def leaflet_css(images: bool = True) -> str:
    """Leaflet's CSS with its images inlined as ``data:`` URIs (no request at run time).

    With ``images=False`` the image rules (the layers control's icon, the default marker
    path) say ``none`` instead: the corridors map uses neither.
    """
    pkg = _leaflet_pkg()
    folder = Path(pkg.BASE_DIR) / "images"
    css = _CSS_SOURCE_MAP.sub("", _read(pkg.BASE_DIR, "leaflet.css"))

    def inline(m: re.Match[str]) -> str:
        f = folder / m.group(2)
        return f'url("{_data_uri(f)}")' if images and f.is_file() else "none"

    css = _CSS_URL.sub(inline, css)
    # The VML behaviour rule only matters to Internet Explorer 8; drop the url() it uses.
    css = css.replace("behavior: url(#default#VML);", "")
    css = re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)
    return _comment(f"Leaflet {pkg.VERSION} CSS, https://leafletjs.com (BSD-2-Clause)") + css


@lru_cache(maxsize=1)
def leaflet_icon_script() -> str:
    """Point Leaflet's default marker icon at inlined images (no request if one is used)."""
    images = Path(_leaflet_pkg().BASE_DIR) / "images"
    return (
        "L.Icon.Default.imagePath='';L.Icon.Default.mergeOptions({"
        f"iconUrl:'{_data_uri(images / 'marker-icon.png')}',"
        f"iconRetinaUrl:'{_data_uri(images / 'marker-icon-2x.png')}',"
        f"shadowUrl:'{_data_uri(images / 'marker-shadow.png')}'}});"
    )


def _own(*parts: str) -> str:
    path = resources.files("corridors.render").joinpath("assets", *parts)
    return path.read_text(encoding="utf-8")


#: The route lab's files (:mod:`corridors.maps.lab`): only pages with its data get them.
LAB_JS_FILES: tuple[str, ...] = ("lab.js", "labpanel.js")


@lru_cache(maxsize=2)
def own_js(lab: bool = True) -> str:
    """The project's controls: the files of :data:`JS_FILES`, concatenated (without
    :data:`LAB_JS_FILES` when ``lab`` is false)."""
    names = [n for n in JS_FILES if lab or n not in LAB_JS_FILES]
    return _script_safe("".join(_own("js", name) for name in names))


@lru_cache(maxsize=1)
def own_css() -> str:
    """The project's control styles: the files of :data:`CSS_FILES`, concatenated."""
    css = "".join(_own(name) for name in CSS_FILES)
    return re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)


@lru_cache(maxsize=1)
def boot_js() -> str:
    """The unpacker of :func:`packed_scripts` (``assets/boot.js``)."""
    return _script_safe(_own("boot.js"))


def _notice(code: str) -> str:
    """The leading ``/*! … */`` notice of a script (its licence), or ``""``."""
    m = re.match(r"\s*(/\*!.*?\*/)", code, flags=re.DOTALL)
    return m.group(1) + "\n" if m else ""


@lru_cache(maxsize=8)
def packed_scripts(parts: Sequence[str]) -> str:
    """The page's scripts as one inline text: notices, the unpacker, the packed code.

    ``parts`` (a tuple, e.g. ``(leaflet_js(), own_js())``) run in order once unpacked.
    The licence notice heading each part is repeated as a plain comment, so the page
    states what it carries without being unpacked.

    Examples
    --------
    >>> text = packed_scripts(("/*! A */ var a = 1;", "var b = a + 1;"))
    >>> text.startswith("/*! A */")
    True
    >>> "corridorsBoot(" in text and "var a" not in text
    True
    """
    code = "\n".join(p.rstrip() + "\n" for p in parts)
    packed = gzip.compress(code.encode("utf-8"), compresslevel=9, mtime=0)
    notices = "".join(_notice(p) for p in parts)
    b64 = base64.b64encode(packed).decode("ascii")
    return notices + boot_js().rstrip() + "\n" + f'corridorsBoot("{b64}");\n'


_PACKED = re.compile(r'corridorsBoot\("([A-Za-z0-9+/=]*)"\);')


def unpack_scripts(html: str) -> str:
    """The code that the page's ``corridorsBoot`` call runs (the twin of ``boot.js``).

    Raises ``ValueError`` when the page has no packed scripts.

    Examples
    --------
    >>> unpack_scripts(packed_scripts(("var a = 1;",)))
    'var a = 1;\\n'
    """
    m = _PACKED.search(html)
    if m is None:
        raise ValueError("the page has no packed scripts (no corridorsBoot call)")
    return gzip.decompress(base64.b64decode(m.group(1))).decode("utf-8")

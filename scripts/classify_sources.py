"""Propose and write the class of every source in geodata/ (issue 11: sources an expert trusts).

The class comes from the URL's host (see ``OFFICIAL``, ``MULTILATERAL``, ... below, reviewed by
hand against the titles); a source that already has a ``class`` keeps it. It also fills a
``published`` date read from the URL's path (``/2025/10/15/``, ``/2025-10-15-``) where the page
has none, and replaces a year-only ``accessed`` (``"2026"``) with the date the source was added to
the file, from git history (``git log -S``).

    python scripts/classify_sources.py            # write classes into geodata/
    python scripts/classify_sources.py --report   # print the class per host, write nothing

Sources live in the ``sources`` lists of the GeoJSON features (rewritten in the repository's
layout by ``_geojson_io``) and of the TOML tables (inline tables ``{ url = ..., ... }``, edited
in place so comments and layout stay).
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _geojson_io

ROOT = Path(__file__).resolve().parents[1]
GEODATA = ROOT / "geodata"

#: Governments, ministries, state agencies, and the operators of the facility cited.
OFFICIAL = {
    "mofa.gov.pk",
    "www.mfa.gov.tm",
    "awtoulag.gov.tm",
    "tdh.gov.tm",
    "www.mfa.gov.tr",
    "www.mfa.am",
    "khorasan-north.rmto.ir",
    "shahidrajaeeport.pmo.ir",
    "investment.mrud.ir",
    "www.arasfz.ir",
    "editorials.voa.gov",
    "ady.az",
    "www.batumioilterminal.com",
    "www.salalahport.com.om",
    "mrdata.usgs.gov",
    "www.kmtf.kz",
    "krec.kg",
    "webarchiveweb.wayback.bac-lac.canada.ca",
}
#: Development banks, UN bodies, CAREC, intergovernmental organisations.
MULTILATERAL = {
    "cpmm.carecprogram.org",
    "www.carecprogram.org",
    "projectsportal.afdb.org",
    "dlca.logcluster.org",
    "www.eapmigrationpanel.org",
    "www.irinnews.org",
    "www.uic.org",
}
#: Research institutes, journals, academic books and analysts.
RESEARCH = {
    "ebooks.mpdl.mpg.de",
    "etrr.springeropen.com",
    "www.afghanistan-analysts.org",
    "www.ejrcf.or.jp",
    "porteconomicsmanagement.org",
    "www.globalsecurity.org",
    "thediplomat.com",
    "sv7.thediplomat.com",
    "www.silkroadbriefing.com",
    "www.monthlyinteraction.com",
}
#: Gazetteers, encyclopaedias (the originals, not mirrors), data sets, map data.
REFERENCE = {
    "www.geonames.org",
    "www.naturalearthdata.com",
    "github.com",
    "climatiq.io",
    "www.climatiq.io",
    "www.lonelyplanet.com",
    "www.statemaster.com",
}
#: Newspapers, news agencies, broadcasters, trade press.
NEWS = {
    "en.trend.az",
    "www.trend.az",
    "ru.trend.az",
    "www.railwaygazette.com",
    "railwaygazette.com",
    "www.thenews.com.pk",
    "thenews.com.pk",
    "en.irna.ir",
    "irna.ir",
    "menafn.com",
    "news.az",
    "www.news.az",
    "en.vestikavkaza.ru",
    "vestnikkavkaza.net",
    "report.az",
    "en.mehrnews.com",
    "www.mehrnews.com",
    "www.nation.com.pk",
    "nation.com.pk",
    "www.dawn.com",
    "dawn.com",
    "www.brecorder.com",
    "telgraf.news",
    "astanatimes.com",
    "alphanews.am",
    "www.railjournal.com",
    "tribune.com.pk",
    "www.raillynews.com",
    "raillynews.com",
    "financialtribune.com",
    "www.urdupoint.com",
    "tass.com",
    "inform.kz",
    "en.inform.kz",
    "24.kg",
    "24-kg.com",
    "en.otaghiranonline.ir",
    "www.app.com.pk",
    "www.eurailpress.de",
    "arynews.tv",
    "1news.az",
    "iranpress.com",
    "ugc.iranpress.com",
    "www.pakistantoday.com.pk",
    "archive.pakistantoday.com.pk",
    "profit.pakistantoday.com.pk",
    "www.globalvillagespace.com",
    "arm.sputniknews.ru",
    "en.dailypakistan.com.pk",
    "thecentral.asia",
    "www.tehrantimes.com",
    "tehrantimes.com",
    "ictimaixeber.az",
    "www.asiaplustj.info",
    "asiaplustj.info",
    "www.azernews.az",
    "pakobserver.net",
    "timesofislamabad.com",
    "propakistani.pk",
    "www.aninews.in",
    "www.iran-daily.com",
    "en.tccim.ir",
    "www.afintl.com",
    "v1.afintl.com",
    "en.axar.az",
    "citykr.kg",
    "www.xalqqazeti.az",
    "rail-news.kz",
    "daryo.uz",
    "old.saednews.com",
    "www.voiceofkp.pk",
    "yenisafak.com",
    "irannewsgazette.com",
    "www.upi.com",
    "nuz.uz",
    "casian.info",
    "en.orda.kz",
    "www.railway.supply",
    "pajhwok.com",
    "www.pajhwok.com",
    "caspiannews.com",
    "www.gazeta.uz",
    "khabarasia.com",
    "www.timesca.com",
    "timesca.com",
    "urdu.dunyanews.tv",
    "www.railway-technology.com",
    "baztabkhorasan.ir",
    "khabarvahonar.ir",
    "partonews.ir",
    "www.fbj-online.com",
    "www.tabula.ge",
    "anewz.tv",
    "hamqadam.com.pk",
    "www.sueddeutsche.de",
    "www.telegraphindia.com",
    "www.dailysabah.com",
    "dailysabah.com",
    "www.devdiscourse.com",
    "silkroadnews.org",
    "www.korabel.ru",
    "thepeninsulaqatar.com",
    "www.chinadaily.com.cn",
    "www.thenationalnews.com",
    "www.timesofoman.com",
    "intermodalnews.eu",
    "splash247.com",
    "www.zawya.com",
    "www.inp.net.pk",
    "dnd.com.pk",
    "www.turkmenistan.ru",
    "www.xebersaati.com",
    "m.rediff.com",
    "www.newscentralasia.net",
    "www.afghanistan-today.org",
    "www.arabnews.pk",
    "adyrna.kz",
    "kun.uz",
    "www.einpresswire.com",
    "informburo.kz",
    "www.tasnimnews.com",
    "iraneconomist.com",
    "en.isna.ir",
    "azertag.az",
    "www.hurriyetdailynews.com",
    "ifpnews.com",
    "khabar.kz",
    "delovoy-journal.ru",
    "www.uzdaily.uz",
    "en.kokchapress.com",
    "dailytimes.com.pk",
    "www.aaj.tv",
    "news.am",
    "azatutyun.am",
    "turan.az",
    "caliber.az",
    "www.subrangtv.com",
    "www.indiatoday.in",
    "samaa.tv.",
    "humenglish.com",
    "nukta.com",
    "www.azerbaycan24.com",
    "indiaseatradenews.com",
    "www.newsdrum.in",
    "rus-shipping.ru",
    "sea-news.az",
    "commersant.ge",
    "m.timesofindia.com",
    "messenger.com.ge",
    "theiranproject.com",
    "www.muhabarishaji.com",
    "khafnews.ir",
    "duvarenglish.com",
    "anfenglishmobile.com",
    "persiadigest.com",
    "interbellumnews.com",
    "finport.am",
    "kentron.am",
    "ixbt.am",
    "www.afghanverified.com",
    "pakgazette.com",
    "lahoremirror.com",
    "www.daily8.com",
    "tycoonherald.com",
    "newsvog.com",
    "photonews.com.pk",
    "pakvoices.pk",
    "mirrornewstoday.com",
    "rossaprimavera.ru",
    "privet-rostov.ru",
    "afishadaily.ru",
    "irex2world.com",
    "www.irex2world.com",
    "international.dhakagate.com",
    "www.azerbaijans.com",
    "realpakistan.com.pk",
    "khabaresafar.com",
    "youlinmagazine.com",
    "www.hrnww.com",
    "thefrontierpost.com",
    "defencejournal.com",
    "moderndiplomacy.eu",
}
#: Wikipedia in any language (the original site, not a copy).
_WIKIPEDIA = re.compile(r"^([a-z-]+\.)?(m\.)?wikipedia\.org\.?$")
#: Known mirrors' host patterns (copies of Wikipedia on other hosts): always ``other``.
_MIRROR = re.compile(
    r"wiki|pedia|ipfs|piglix|perceptio|academic|what-when-how|clateway|datana|azureedge|"
    r"dob\.jp|studentb|kampuspedia|hmong|osmarks|knowledg|hubbry|mediated|qaz\.|abcdef|"
    r"readtiger|genlearnin|toneto|nula\.cc|howlingpixel|profilpelajar|memim|doc\.surf|"
    r"infosekolah|artikeldigital|liquisearch|iiab\.me|vseslova|kiwix|sagapedia|genby|"
    r"franco\.|marefa|when\.com|eth\.link|cydlabs|richxsearch|urking|wikimonde|detailedpedia"
)


def classify(url: str) -> str:
    """The proposed class of ``url`` from its host (``other`` when no rule matches)."""
    host = (urlsplit(url).hostname or "").lower()
    host_dot = urlsplit(url).netloc.lower().split(":")[0]
    for name in (host, host_dot):
        if name in OFFICIAL or re.search(r"(^|\.)gov(\.[a-z]{2})?\.?$|\.gov\.", name):
            return "official"
        if name in MULTILATERAL or name.endswith(("worldbank.org", "adb.org", "un.org")):
            return "multilateral"
        if name in RESEARCH:
            return "research"
        if _WIKIPEDIA.match(name) and "ipfs" not in url:
            return "reference"
        if name in REFERENCE:
            return "reference"
        if name in NEWS:
            return "news"
    return "other"


_URL_DATE = (
    re.compile(r"/(20\d{2}|19\d{2})/(0[1-9]|1[0-2])/([0-3]\d)/"),
    re.compile(r"[/_-](20\d{2})-(0[1-9]|1[0-2])-([0-3]\d)(?:[/_-]|$)"),
    re.compile(r"/(20\d{2})(0[1-9]|1[0-2])([0-3]\d)\d{4,}"),
)


def published_from_url(url: str) -> str | None:
    """A publication date written in the URL's path, if any (``YYYY-MM-DD``)."""
    path = urlsplit(url).path
    for rx in _URL_DATE:
        m = rx.search(path)
        if m and 1 <= int(m.group(3)) <= 31:
            return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    return None


_ADDED: dict[tuple[str, str], str] = {}


def added_on(path: Path, url: str) -> str | None:
    """The date (``YYYY-MM-DD``) of the first commit that added ``url`` to ``path``."""
    key = (str(path), url)
    if key not in _ADDED:
        out = subprocess.run(
            [
                "git",
                "-C",
                str(ROOT),
                "log",
                "--format=%ad",
                "--date=short",
                "-S",
                url,
                "--",
                str(path.relative_to(ROOT)),
            ],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.split()
        _ADDED[key] = out[-1] if out else ""
    return _ADDED[key] or None


def _fix(src: dict[str, Any], path: Path, stats: collections.Counter[str]) -> None:
    url = src.get("url", "")
    if "class" not in src:
        src["class"] = classify(url)
        stats["classified"] += 1
    if "published" not in src and (pub := published_from_url(url)):
        src["published"] = pub
        stats["published"] += 1
    if re.fullmatch(r"\d{4}", str(src.get("accessed", ""))) and (day := added_on(path, url)):
        src["accessed"] = day
        stats["accessed"] += 1


def _order(src: dict[str, Any]) -> dict[str, Any]:
    keys = ("url", "title", "class", "published", "accessed")
    return {k: src[k] for k in keys if k in src} | {k: v for k, v in src.items() if k not in keys}


def _walk_json(obj: Any, path: Path, stats: collections.Counter[str]) -> None:
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "sources" and isinstance(v, list):
                for i, s in enumerate(v):
                    if isinstance(s, dict) and "url" in s:
                        _fix(s, path, stats)
                        v[i] = _order(s)
            else:
                _walk_json(v, path, stats)
    elif isinstance(obj, list):
        for v in obj:
            _walk_json(v, path, stats)


_INLINE = re.compile(r'\{ url = "(?P<url>[^"]+)"(?P<rest>[^\n]*?)\s*\}')


def _toml_text(text: str, path: Path, stats: collections.Counter[str]) -> str:
    def sub(m: re.Match[str]) -> str:
        body = "{ " + 'url = "' + m.group("url") + '"' + m.group("rest") + " }"
        try:
            src = tomllib.loads("x = " + body)["x"]
        except tomllib.TOMLDecodeError:
            return m.group(0)
        if "title" not in src and "accessed" not in src:
            return m.group(0)  # not a source (e.g. a published length)
        _fix(src, path, stats)
        src = _order(src)
        return (
            "{ "
            + ", ".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in src.items())
            + " }"
        )

    return _INLINE.sub(sub, text)


def main(argv: list[str] | None = None) -> int:
    """Classify every source under geodata/ (or print the proposal with ``--report``)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--report", action="store_true", help="print classes per host, write nothing")
    args = ap.parse_args(argv)
    if args.report:
        by: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
        for p in sorted(GEODATA.glob("*.geojson")) + sorted(GEODATA.glob("*.toml")):
            for url in re.findall(r'"url"?\s*[:=]\s*"(https?://[^"]+)"', p.read_text("utf-8")):
                by[classify(url)][urlsplit(url).netloc] += 1
        for klass, hosts in sorted(by.items()):
            print(f"{klass}: {sum(hosts.values())}")
            for host, n in hosts.most_common():
                print(f"  {n:4d} {host}")
        return 0
    stats: collections.Counter[str] = collections.Counter()
    for p in sorted(GEODATA.glob("*.geojson")):
        # derived extracts: one dataset-level source, no per-fact sources
        if p.name in (
            "countries.geojson",
            "disputed.geojson",
        ):  # derived extracts, no per-fact sources
            continue
        doc = _geojson_io.load(p)
        _walk_json(doc, p, stats)
        _geojson_io.save(p, doc)
    for p in sorted(GEODATA.glob("*.toml")):
        text = p.read_text("utf-8")
        new = _toml_text(text, p, stats)
        if new != text:
            p.write_text(new, "utf-8")
    print(dict(stats))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

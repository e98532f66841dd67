"""Deterministic synthetic content for benchmarks, in the contract of shared/spec/content-format.md.

    python bench/synth.py --articles N --out DIR [--seed 1] [--force]
    python bench/synth.py --edit DIR [--seed 1]

The first form writes DIR/regions.yaml (50 invented regions: a country, 12 oblasts, 37 towns),
DIR/speakers.yaml (300 invented speakers), DIR/articles/YYYY/MM/DD/<slug>.md (N articles dated
2023-01-01..2024-12-31, +02:00 in winter, +03:00 in summer) and DIR/pages/about.md.

Stdlib only, no clock, no hash-order dependence: the same arguments give byte-identical files.
Every article has its own random stream (seeded by seed and index), so the articles of a
smaller N are exactly the first articles of a larger N (same files, same bytes).

`--edit DIR` appends one sentence to the first development of one article (chosen by the seed
among the sorted article files) and prints the file's path: the change a warm rebuild sees.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

FIRST_DAY = date(2023, 1, 1)
DAYS = (date(2024, 12, 31) - FIRST_DAY).days + 1  # 731
N_OBLASTS = 12
N_TOWNS = 37  # 12 oblast centres + 25 other towns: 1 + 12 + 37 = 50 regions
N_SPEAKERS = 300

# --- vocabularies -----------------------------------------------------------------------------

PLACE_HEADS = (
    "Bil",
    "Bor",
    "Chorn",
    "Dobr",
    "Hol",
    "Hor",
    "Kam",
    "Kozl",
    "Krasn",
    "Kryv",
    "Lys",
    "Mal",
    "Myrn",
    "Nov",
    "Ozern",
    "Pol",
    "Rud",
    "Sokol",
    "Stav",
    "Topol",
    "Verkh",
    "Vyshn",
    "Yasn",
    "Zelen",
    "Zolot",
    "Bereh",
    "Dubr",
    "Lozov",
    "Sosn",
    "Tern",
)
PLACE_TAILS = (
    "ivka",
    "opil",
    "ohrad",
    "ove",
    "ohirsk",
    "yany",
    "ivtsi",
    "odar",
    "ovets",
    "ynske",
    "odolyn",
    "iaky",
)
COUNTRY = ("zarechia", "Zarechia", 49.212, 30.874)  # id, name, capital lat/lon

FIRST_NAMES = (
    "Andrii",
    "Bohdan",
    "Daria",
    "Iryna",
    "Kateryna",
    "Maksym",
    "Mykola",
    "Natalia",
    "Oksana",
    "Olena",
    "Oleksandr",
    "Pavlo",
    "Roman",
    "Serhii",
    "Sofiia",
    "Taras",
    "Viktor",
    "Yuliia",
    "Anna",
    "Marta",
    "Lukas",
    "Ingrid",
    "Pierre",
    "Claire",
    "Tomasz",
    "Agnieszka",
    "Jonas",
    "Elena",
    "Mateo",
    "Hannah",
    "Rasmus",
    "Leila",
    "Kofi",
    "Amara",
    "Dmytro",
    "Yaroslav",
    "Halyna",
    "Vira",
    "Zoriana",
    "Ostap",
)
LAST_NAMES = (
    "Bondarenko",
    "Hrytsenko",
    "Kovalchuk",
    "Lysenko",
    "Morozyuk",
    "Pavliuk",
    "Savchenko",
    "Tkachuk",
    "Vasylenko",
    "Yurchak",
    "Zhuravel",
    "Shevchuk",
    "Kravets",
    "Melnyk",
    "Dovhan",
    "Petrenko",
    "Romaniuk",
    "Hnatiuk",
    "Ostapenko",
    "Sydorak",
    "Marchenko",
    "Fedoriv",
    "Kuzmych",
    "Levchuk",
    "Bilyk",
    "Chornyi",
    "Danyliuk",
    "Hordiienko",
    "Ivashko",
    "Karpenko",
    "Lutsenko",
    "Matviichuk",
    "Nazarenko",
    "Oliinyk",
    "Prykhodko",
    "Rudenko",
    "Stepaniuk",
    "Tarasiuk",
    "Ushakov",
    "Vdovychenko",
    "Yakymets",
    "Zaiets",
    "Holub",
    "Berger",
    "Lindqvist",
    "Moreau",
    "Novak",
    "Kowalczyk",
    "Haugen",
    "Esposito",
    "Dupont",
    "Mensah",
    "Okafor",
    "Adeyemi",
    "Varga",
    "Horvath",
    "Nielsen",
    "Costa",
    "Ferreira",
    "Aalto",
)
GENERIC_ROLES = (
    ("Minister of Defence", "Ministry of Defence"),
    ("Deputy Foreign Minister", "Ministry of Foreign Affairs"),
    ("Spokesperson", "General Staff"),
    ("Spokesperson", "Southern Defence Forces"),
    ("Spokesperson", "Eastern Defence Forces"),
    ("Military analyst", "Institute for Security Studies"),
    ("Senior researcher", "Eastern Policy Centre"),
    ("Head of mission", "International Red Cross"),
    ("Energy minister", "Ministry of Energy"),
    ("Chief executive", "National Grid Operator"),
    ("Correspondent", "Northwire"),
    ("Volunteer coordinator", "Open Hands Foundation"),
    ("Human rights commissioner", "Office of the Ombudsman"),
    ("Brigade commander", "Third Assault Brigade"),
    ("Press officer", "Air Force Command"),
    ("Head of the demining service", "State Emergency Service"),
    ("Economist", "Kalyna Bank"),
    ("Member of parliament", "Verkhovna Council"),
    ("Resident", None),
    ("Doctor", "Regional Hospital No. 2"),
)
SUBJECTS = (
    "Local officials",
    "The regional administration",
    "Emergency crews",
    "Residents",
    "Air defence units",
    "The general staff",
    "Volunteers",
    "Rail operators",
    "Engineers",
    "Monitoring teams",
    "Police",
    "Medics",
    "Energy workers",
    "The city council",
    "Border guards",
    "Demining teams",
)
VERBS = (
    "reported",
    "confirmed",
    "restored",
    "evacuated",
    "repaired",
    "documented",
    "intercepted",
    "inspected",
    "delivered",
    "cleared",
    "reopened",
    "secured",
    "counted",
    "mapped",
)
OBJECTS = (
    "power lines",
    "a water pumping station",
    "dozens of drones",
    "three apartment blocks",
    "the main bridge",
    "humanitarian convoys",
    "school buildings",
    "grain storage sites",
    "a field hospital",
    "the rail junction",
    "two substations",
    "the central market",
    "heating networks",
    "a shelter for displaced families",
    "the road to the front",
    "several private houses",
    "a fuel depot",
    "the river crossing",
)
TAILS = (
    "overnight",
    "after heavy shelling",
    "despite poor weather",
    "for the third day running",
    "along the river",
    "near the front line",
    "before dawn",
    "according to preliminary data",
    "within hours",
    "under fire",
    "with help from neighbouring districts",
    "by late afternoon",
)
FILLER = (
    "the",
    "situation",
    "remains",
    "tense",
    "while",
    "repairs",
    "continue",
    "across",
    "several",
    "districts",
    "and",
    "crews",
    "work",
    "around",
    "the",
    "clock",
    "to",
    "keep",
    "water",
    "heat",
    "and",
    "power",
    "running",
    "for",
    "residents",
    "who",
    "stayed",
    "behind",
    "despite",
    "repeated",
    "warnings",
    "from",
    "officials",
    "about",
    "further",
    "attacks",
    "on",
    "infrastructure",
    "in",
    "the",
    "coming",
    "days",
    "schools",
    "moved",
    "classes",
    "online",
    "shops",
    "opened",
    "briefly",
    "queues",
    "formed",
    "at",
    "aid",
    "points",
    "as",
    "convoys",
    "arrived",
    "from",
    "the",
    "west",
    "with",
    "food",
    "medicine",
    "and",
    "generators",
)
TAGS = (
    "shelling",
    "energy",
    "evacuation",
    "air defence",
    "diplomacy",
    "humanitarian aid",
    "infrastructure",
    "drones",
    "grain",
    "rail",
    "prisoners",
    "sanctions",
    "reconstruction",
    "mines",
    "water",
    "casualties",
    "ammunition",
    "refugees",
)
OUTLETS = (
    ("Northwire", "www.northwire.example"),
    ("The Morning Ledger", "ledger.example.com"),
    ("Radio Dnipro Val", "radiodval.example.org"),
    ("Eastern Desk", "easterndesk.example"),
    ("Public Broadcaster", "pbc.example.net"),
    ("Regional Military Administration", "rma.example.gov"),
)
AUTHORS = (
    "Timeline desk",
    "Olha Marchenko",
    "Petro Savchuk",
    "Ines Berger",
    "Mark Adeyemi",
    "Lesia Danyliuk",
    "Tomas Varga",
    "Night desk",
)
HEADLINES = (
    "{Subject} {verb} {object} in {place}",
    "Shelling intensifies near {place}",
    "{place}: {object} {passive} {tail}",
    "Heavy fighting around {place} as {subject} {verb} {object}",
    "{speaker} says {object} in {place} will be {passive} {tail}",
    "Blackouts in {place} after strikes on {object}",
    "Evacuation from {place} continues {tail}",
    "Drone attack on {place} repelled {tail}",
)
PASSIVES = ("restored", "repaired", "reopened", "cleared", "inspected", "secured")
QUOTE_CONTEXTS = (
    "in {town}",
    "on national television",
    "in a statement",
    "at a press briefing in {town}",
    "in an interview with {outlet}",
    "on social media",
    "speaking to reporters",
    "in {town}",
)
EDIT_SENTENCES = (
    "Officials later confirmed the figures.",
    "Further details were expected in the evening.",
    "The report was updated after new information arrived.",
)


# --- the model ---------------------------------------------------------------------------------


@dataclass
class Region:
    id: str
    name: str
    kind: str
    parent: str | None
    lat: float
    lon: float
    aliases: list[str] = field(default_factory=list)


@dataclass
class Speaker:
    id: str
    name: str
    role: str | None
    affiliation: str | None
    aliases: list[str] = field(default_factory=list)


@dataclass
class World:
    regions: list[Region]
    oblasts: list[Region]
    towns_of: dict[str, list[Region]]
    speakers: list[Speaker]
    governor_of: dict[str, Speaker]
    oblast_weights: list[float]  # cumulative, Zipf-like: some oblasts are in the news more
    speaker_weights: list[float]


def slugify(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def zipf(n: int, s: float = 1.0) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank + 1) ** s for rank in range(n)))


def make_world(seed: int) -> World:
    regions, oblasts, towns_of = make_regions(random.Random(f"{seed}:regions"))
    speakers, governor_of = make_speakers(random.Random(f"{seed}:speakers"), oblasts, towns_of)
    return World(
        regions,
        oblasts,
        towns_of,
        speakers,
        governor_of,
        zipf(len(oblasts), 0.8),
        zipf(len(speakers), 1.1),
    )


def make_regions(rng: random.Random) -> tuple[list[Region], list[Region], dict[str, list[Region]]]:
    names = [head + tail for head in PLACE_HEADS for tail in PLACE_TAILS]
    rng.shuffle(names)
    names = list(dict.fromkeys(names))[: N_TOWNS + 10]  # spares become old names (aliases)
    spares = names[N_TOWNS:]
    country_id, country_name, clat, clon = COUNTRY
    country = Region(country_id, country_name, "country", None, clat, clon)
    oblasts: list[Region] = []
    towns_of: dict[str, list[Region]] = {}
    for index, centre in enumerate(names[:N_OBLASTS]):
        row, col = divmod(index, 4)  # a 3×4 grid over the country
        lat = round(51.2 - row * 2.3 + rng.uniform(-0.5, 0.5), 3)
        lon = round(24.0 + col * 4.4 + rng.uniform(-0.8, 0.8), 3)
        oblast = Region(
            f"{slugify(centre)}-oblast",
            f"{centre} Oblast",
            "oblast",
            country_id,
            lat,
            lon,
            [f"{centre} region"],
        )
        oblasts.append(oblast)
        city = Region(
            slugify(centre),
            centre,
            "city",
            oblast.id,
            round(lat + rng.uniform(-0.1, 0.1), 3),
            round(lon + rng.uniform(-0.1, 0.1), 3),
        )
        towns_of[oblast.id] = [city]
    for index, name in enumerate(names[N_OBLASTS:N_TOWNS]):
        oblast = oblasts[index % N_OBLASTS]
        town = Region(
            slugify(name),
            name,
            rng.choice(("town", "town", "village")),
            oblast.id,
            round(oblast.lat + rng.uniform(-0.7, 0.7), 3),
            round(oblast.lon + rng.uniform(-1.0, 1.0), 3),
        )
        if spares and rng.random() < 0.25:
            town.aliases.append(spares.pop())
        towns_of[oblast.id].append(town)
    ordered = [country, *oblasts]
    for oblast in oblasts:
        ordered.extend(towns_of[oblast.id])
    assert len({r.id for r in ordered}) == len(ordered) == 1 + N_OBLASTS + N_TOWNS
    return ordered, oblasts, towns_of


def make_speakers(
    rng: random.Random, oblasts: list[Region], towns_of: dict[str, list[Region]]
) -> tuple[list[Speaker], dict[str, Speaker]]:
    pairs = [(first, last) for first in FIRST_NAMES for last in LAST_NAMES]
    chosen = rng.sample(pairs, N_SPEAKERS)
    surname_count: dict[str, int] = {}
    for _, last in chosen:
        surname_count[last] = surname_count.get(last, 0) + 1
    mayors = [town for oblast in oblasts for town in towns_of[oblast.id][1:2]]
    speakers: list[Speaker] = []
    governor_of: dict[str, Speaker] = {}
    taken_aliases: set[str] = set()
    for index, (first, last) in enumerate(chosen):
        name = f"{first} {last}"
        role: str | None
        affiliation: str | None
        if index < len(oblasts):
            oblast = oblasts[index]
            centre = oblast.name.removesuffix(" Oblast")
            role = f"Head of the {oblast.name} Military Administration"
            affiliation = f"{centre} Regional Military Administration"
        elif index < len(oblasts) + len(mayors):
            town = mayors[index - len(oblasts)]
            role, affiliation = f"Mayor of {town.name}", f"{town.name} City Council"
        elif rng.random() < 0.08:
            role, affiliation = None, None
        else:
            role, affiliation = rng.choice(GENERIC_ROLES)
        speaker = Speaker(slugify(name), name, role, affiliation)
        if rng.random() < 0.3:
            alias = last if surname_count[last] == 1 else f"{first[0]}. {last}"
            if alias not in taken_aliases:
                taken_aliases.add(alias)
                speaker.aliases.append(alias)
        if index < len(oblasts):
            governor_of[oblasts[index].id] = speaker
        speakers.append(speaker)
    assert len({s.id for s in speakers}) == N_SPEAKERS
    return speakers, governor_of


# --- YAML writing (only the shapes we need) ----------------------------------------------------

PLAIN_SAFE = re.compile(r"[A-Za-z][A-Za-z0-9 ,.'’()/-]*")


def scalar(text: str) -> str:
    """A YAML scalar: plain when that is unambiguous, else double-quoted (JSON is valid YAML)."""
    if (
        PLAIN_SAFE.fullmatch(text)
        and not text.endswith((" ", ","))
        and text.lower() not in ("yes", "no", "on", "off", "true", "false", "null", "y", "n")
    ):
        return text
    return json.dumps(text, ensure_ascii=False)


def flow_list(items: list[str]) -> str:
    return "[" + ", ".join(scalar(item) for item in items) + "]"


def regions_yaml(world: World) -> str:
    out = ["# Synthetic region registry (bench/synth.py); invented places.", ""]
    for region in world.regions:
        out.append(f"{region.id}:")
        out.append(f"  name: {scalar(region.name)}")
        if region.parent:
            out.append(f"  parent: {region.parent}")
        out.append(f"  kind: {region.kind}")
        if region.aliases:
            out.append(f"  aliases: {flow_list(region.aliases)}")
        out.append(f"  lat: {region.lat:.3f}")
        out.append(f"  lon: {region.lon:.3f}")
    return "\n".join(out) + "\n"


def speakers_yaml(world: World) -> str:
    out = ["# Synthetic speaker registry (bench/synth.py); invented people.", ""]
    for speaker in world.speakers:
        out.append(f"{speaker.id}:")
        out.append(f"  name: {scalar(speaker.name)}")
        if speaker.role:
            out.append(f"  role: {scalar(speaker.role)}")
        if speaker.affiliation:
            out.append(f"  affiliation: {scalar(speaker.affiliation)}")
        if speaker.aliases:
            out.append(f"  aliases: {flow_list(speaker.aliases)}")
    return "\n".join(out) + "\n"


# --- articles ----------------------------------------------------------------------------------


def last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() - 6) % 7)


def offset_for(day: date) -> str:
    """Kyiv summer time (EEST, +03:00) from the last Sunday of March to that of October.

    Articles are published from 06:00, after both switch-overs (03:00/04:00), so the day decides.
    """
    summer = last_sunday(day.year, 3) <= day < last_sunday(day.year, 10)
    return "+03:00" if summer else "+02:00"


def ref(region: Region, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.04:
        return f"[](region:{region.id})"  # empty text: the site shows the region's name
    text = region.aliases[0] if region.aliases and roll < 0.25 else region.name
    return f"[{text}](region:{region.id})"


def sref(speaker: Speaker) -> str:
    return f"[{speaker.name}](speaker:{speaker.id})"


def sentence(rng: random.Random, low: int = 8, high: int = 18) -> str:
    words = [rng.choice(FILLER) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def event_sentence(rng: random.Random, places: list[str]) -> str:
    where = " and ".join(places)
    return rng.choice(
        (
            f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} in {where} "
            f"{rng.choice(TAILS)}",
            f"Shelling of {where} intensified {rng.choice(TAILS)}",
            f"Work on {rng.choice(OBJECTS)} in {where} resumed {rng.choice(TAILS)}",
            f"In {where}, {rng.choice(SUBJECTS).lower()} {rng.choice(VERBS)} {rng.choice(OBJECTS)}",
        )
    )


@dataclass
class Draft:
    slug: str
    path: str  # relative to the content folder
    text: str


def pick_speaker(world: World, rng: random.Random) -> Speaker:
    return rng.choices(world.speakers, cum_weights=world.speaker_weights)[0]


def make_article(world: World, rng: random.Random, used_slugs: set[str]) -> Draft:
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    minutes = rng.randrange(6 * 60, 24 * 60)
    offset = offset_for(day)
    moment = datetime(day.year, day.month, day.day, minutes // 60, minutes % 60)
    stamp = f"{moment:%Y-%m-%dT%H:%M}:00{offset}"

    oblast = rng.choices(world.oblasts, cum_weights=world.oblast_weights)[0]
    local = [oblast, *world.towns_of[oblast.id]]
    main_town = rng.choice(world.towns_of[oblast.id])
    front_regions = [rng.choice((oblast, main_town))]
    if rng.random() < 0.1:
        other = rng.choice(world.oblasts)
        if other is not oblast:
            front_regions.append(other)

    governor = world.governor_of[oblast.id]
    quoted = [
        governor if rng.random() < 0.3 else pick_speaker(world, rng)
        for _ in range(rng.randint(1, 3))
    ]

    # title and slug
    template = rng.choice(HEADLINES)
    title = template.format(
        Subject=rng.choice(SUBJECTS),
        subject=rng.choice(SUBJECTS).lower(),
        verb=rng.choice(VERBS),
        object=rng.choice(OBJECTS),
        passive=rng.choice(PASSIVES),
        tail=rng.choice(TAILS),
        place=main_town.name,
        speaker=quoted[0].name,
    )
    title = title[0].upper() + title[1:]
    base = "-".join(slugify(title).split("-")[:7])
    slug, n = base, 1
    while slug in used_slugs:
        n += 1
        slug = f"{base}-{n}"
    used_slugs.add(slug)

    # front matter
    fm = ["---", f"title: {scalar(title)}", f"date: {stamp}"]
    if rng.random() < 0.1:
        later = moment + timedelta(minutes=rng.randrange(30, 6 * 60))
        fm.append(f"updated: {later:%Y-%m-%dT%H:%M}:00{offset}")
    if rng.random() < 0.1:
        fm.append(f"slug: {slug}")
    fm.append(f"summary: {scalar(sentence(rng, 10, 22))}")
    fm.append(f"regions: {flow_list([r.id for r in front_regions])}")
    if rng.random() < 0.2:
        fm.append(f"speakers: [{pick_speaker(world, rng).id}]")
    fm.append(f"tags: {flow_list(sorted(rng.sample(TAGS, rng.randint(1, 3))))}")
    fm.append("sources:")
    for k, (outlet, domain) in enumerate(rng.sample(OUTLETS, rng.randint(1, 3))):
        kind = rng.choice(("report", "live blog", "briefing"))
        fm.append(f"  - title: {scalar(outlet + ' ' + kind)}")
        fm.append(f"    url: https://{domain}/{day:%Y/%m/%d}/{slug}-{k + 1}")
    fm.append(f"authors: {flow_list(rng.sample(AUTHORS, rng.randint(1, 2)))}")
    fm.append("---")

    # opening paragraphs
    body: list[str] = [""]
    for _ in range(rng.randint(1, 2)):
        words = [sentence(rng) for _ in range(rng.randint(2, 4))]
        if rng.random() < 0.3:
            words.insert(
                1,
                f"Reports from {ref(rng.choice(local), rng)} describe "
                f"{rng.choice(OBJECTS)} damaged {rng.choice(TAILS)}.",
            )
        if rng.random() < 0.2:
            outlet, domain = rng.choice(OUTLETS)
            words.append(f"*{outlet}* has [more details](https://{domain}/{slug}).")
        body.extend([" ".join(words), ""])

    # developments
    body.extend(["## Developments", ""])
    count = rng.randint(3, 6)
    stamped = sorted(rng.sample(range(minutes + 1), count))
    for index in range(count):
        places = [
            ref(rng.choice(local) if rng.random() < 0.85 else rng.choice(world.regions), rng)
            for _ in range(1 if rng.random() < 0.7 else 2)
        ]
        text = event_sentence(rng, places)
        if rng.random() < 0.25:
            speaker = governor if rng.random() < 0.5 else pick_speaker(world, rng)
            text += f", said {sref(speaker)}"
        text += "."
        roll = rng.random()
        if index == 0 and roll < 0.05:
            text = f"**{day - timedelta(days=1):%Y-%m-%d}** {text}"
        elif roll < 0.5:
            at = stamped[index]
            text = f"**{at // 60:02d}:{at % 60:02d}** {text}"
        body.append(f"- {text}")
        if rng.random() < 0.05:
            body.append(f"  - {sentence(rng, 5, 9)}")
    body.append("")

    # quotes
    for speaker in quoted:
        for p in range(rng.randint(1, 2)):
            if p:
                body.append(">")
            body.append("> " + " ".join(sentence(rng) for _ in range(rng.randint(1, 3))))
        body.append(">")
        context = rng.choice(QUOTE_CONTEXTS).format(
            town=rng.choice(local).name.removesuffix(" Oblast"), outlet=rng.choice(OUTLETS)[0]
        )
        dash = "--" if rng.random() < 0.05 else "—"
        tail = "" if rng.random() < 0.1 else f", {context}"
        body.extend([f"> {dash} {sref(speaker)}{tail}", ""])

    path = f"articles/{day:%Y/%m/%d}/{slug}.md"
    return Draft(slug, path, "\n".join(fm) + "\n" + "\n".join(body).rstrip("\n") + "\n")


ABOUT = """---
title: About this timeline
slug: about
summary: A synthetic site for benchmarks; every place, person and event is invented.
---

This site is generated by `bench/synth.py`. Its places, people and events are invented: the
text is assembled from a fixed vocabulary so that builds can be timed on content of any size.

## How it is organised

- **Regional timelines** list the developments of a region and of the places inside it.
- **Speaker pages** collect the quotes of each person.
- **Daily digests** gather a day's developments and quotes.
"""


# --- commands ----------------------------------------------------------------------------------


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def generate(articles: int, out: Path, seed: int, force: bool) -> int:
    ours = [out / "regions.yaml", out / "speakers.yaml", out / "articles", out / "pages"]
    if out.exists() and any(out.iterdir()):
        if not force:
            print(
                f"{out} is not empty; pass --force to replace the generated content",
                file=sys.stderr,
            )
            return 2
        for path in ours:
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
    world = make_world(seed)
    write(out / "regions.yaml", regions_yaml(world))
    write(out / "speakers.yaml", speakers_yaml(world))
    used: set[str] = set()
    for index in range(articles):
        draft = make_article(world, random.Random(f"{seed}:article:{index}"), used)
        write(out / draft.path, draft.text)
    write(out / "pages" / "about.md", ABOUT)
    print(
        f"wrote {articles} articles, {len(world.regions)} regions, "
        f"{len(world.speakers)} speakers to {out}"
    )
    return 0


def edit(content: Path, seed: int) -> int:
    files = sorted((content / "articles").rglob("*.md"), key=lambda p: p.as_posix())
    if not files:
        print(f"no articles under {content / 'articles'}", file=sys.stderr)
        return 2
    rng = random.Random(f"{seed}:edit")
    target = files[rng.randrange(len(files))]
    extra = rng.choice(EDIT_SENTENCES)
    lines = target.read_text(encoding="utf-8").split("\n")
    heading = next(i for i, line in enumerate(lines) if line.strip().lower() == "## developments")
    item = next(i for i in range(heading + 1, len(lines)) if lines[i].startswith("- "))
    end = item  # the item's first paragraph may continue on indented lines
    while (
        end + 1 < len(lines)
        and lines[end + 1].startswith("  ")
        and not lines[end + 1].lstrip().startswith(("- ", "* ", "+ "))
    ):
        end += 1
    lines[end] = lines[end].rstrip() + " " + extra
    target.write_text("\n".join(lines), encoding="utf-8", newline="\n")
    print(target)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--articles", type=int, metavar="N", help="number of articles to write")
    mode.add_argument(
        "--edit",
        type=Path,
        metavar="DIR",
        help="append a sentence to the first development of one article in DIR",
    )
    parser.add_argument("--out", type=Path, metavar="DIR", help="content folder to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace regions.yaml, speakers.yaml, articles/ and pages/ in DIR",
    )
    args = parser.parse_args(argv)
    if args.edit is not None:
        return edit(args.edit, args.seed)
    if args.out is None:
        parser.error("--articles needs --out DIR")
    if args.articles < 0:
        parser.error("--articles must be 0 or more")
    return generate(args.articles, args.out, args.seed, args.force)


if __name__ == "__main__":
    sys.exit(main())

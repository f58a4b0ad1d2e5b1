"""Swedish municipal documents with known content: the text model of the benchmark corpus.

compose(kind, rng, text_bytes) returns a Document: blocks of text (a str is a paragraph, a list of
str is a table row) plus a Truth that counts exactly what was written — valid personnummer and
samordningsnummer (with surface forms and distinct values), OSL markers and hard negatives. Format
writers (writers.py) turn the blocks into files; the truth becomes the manifest the benchmark
checks Vakt against.

Kinds: motesanteckningar, orosanmalan, personallista, rehabiliteringsutredning (person data);
upphandling, policy (no person data: only hard negatives and text *about* OSL).
"""

import dataclasses
import random

import idnum

KINDS = ("motesanteckningar", "orosanmalan", "personallista", "rehabiliteringsutredning",
         "upphandling", "policy")
PERSON_KINDS = ("motesanteckningar", "orosanmalan", "personallista", "rehabiliteringsutredning")

# Average text bytes per identity number in person-data documents, and a per-file cap: the engine
# lists at most 1000 findings per rule and document (findings_total keeps counting), so a file
# (all its container members together) never holds more than 900 and every count is checkable.
BYTES_PER_ID = {"motesanteckningar": 3000, "orosanmalan": 1500, "personallista": 120,
                "rehabiliteringsutredning": 2500}
MAX_IDS_PER_FILE = 900

FIRST = ["Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Sara", "Anders", "Elin", "Mohammed",
         "Fatima", "Nils", "Ingrid", "Oskar", "Aisha", "Björn", "Åsa", "Göran", "Linnéa", "Jönsson"]
LAST = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
        "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Lindström", "Öberg",
        "Åkesson", "Hassan", "Lundqvist", "Berglund", "Sjöberg", "Ekström"]
UNITS = ["Individ- och familjeomsorgen", "Äldreomsorgen", "Barn- och utbildningsförvaltningen",
         "Socialförvaltningen", "Kommunledningskontoret", "Tekniska förvaltningen",
         "Hemtjänsten Norr", "Elevhälsan", "HR-avdelningen", "Upphandlingsenheten"]
TITLES = ["socialsekreterare", "enhetschef", "undersköterska", "lärare", "skolkurator",
          "HR-konsult", "upphandlare", "handläggare", "sjuksköterska", "förskollärare"]

FILLER = [
    "Mötet öppnades och dagordningen fastställdes utan ändringar.",
    "Föregående protokoll lades till handlingarna.",
    "Förvaltningen redogjorde för läget i verksamheten under hösten.",
    "Budgetuppföljningen visar ett mindre underskott som förklaras av ökade kostnader för vikarier.",
    "Arbetet med den nya verksamhetsplanen fortsätter enligt tidplanen.",
    "Nästa möte hålls i sammanträdesrummet Tallen på kommunhuset.",
    "Frågan bereds vidare av förvaltningen och återkommer till nämnden.",
    "Samtliga närvarande fick möjlighet att lämna synpunkter på förslaget.",
    "Det noterades att lokalerna behöver ses över inför vintern.",
    "Rapporten skickas till kommunstyrelsen för kännedom.",
    "Ordföranden tackade för ett konstruktivt möte och förklarade mötet avslutat.",
    "Handläggningstiderna har minskat jämfört med samma period förra året.",
    "En arbetsgrupp med representanter från flera förvaltningar har bildats.",
    "Information lämnades om kommande utbildningsinsatser för medarbetare.",
    "Det finns behov av att förtydliga rutinerna för dokumentation.",
    "Samverkan med regionen fungerar väl enligt de senaste uppföljningarna.",
]

# Everyday municipal prose with no word any shipped rule reacts to (checked: zero findings). Large
# documents are mostly this, so their findings stay below the engine's per-file limit
# (Limits::max_matches, 20 000) and every count remains checkable.
NEUTRAL = [
    "Vädret var växlande under veckan med sol på förmiddagarna och regn på eftermiddagarna.",
    "Biblioteket har förlängt sina öppettider under sommaren och erbjuder fler sagostunder.",
    "Gatubelysningen på Storgatan byts ut till energisnåla armaturer under våren.",
    "Kommunens nya cykelväg mellan centrum och stationen invigs i maj.",
    "Simhallen stänger för underhåll under två veckor i augusti.",
    "Årets kulturpris delades ut till en lokal körledare för hennes långa engagemang.",
    "Parkeringsplatserna vid torget målas om när tjälen har gått ur marken.",
    "Det kommunala bostadsbolaget planerar att bygga fyrtio nya lägenheter vid ån.",
    "Sophämtningen flyttas till tisdagar i de norra bostadsområdena från och med januari.",
    "Turistbyrån rapporterar fler besökare än föregående år, främst under juli.",
    "Fotbollsplanen vid skolan får nytt konstgräs och bättre belysning.",
    "Informationen finns också på kommunens webbplats och på anslagstavlan i entrén.",
    "Lokalerna på andra våningen används för utställningar under hösten.",
    "Kaffe och smörgås serverades i pausen och deltagarna fick bekanta sig med varandra.",
    "Vägföreningen har fått bidrag för att laga grusvägen efter vårens översvämning.",
    "Festivalen lockade många besökare trots att det regnade större delen av helgen.",
    "Projektet med solpaneler på kommunhusets tak beräknas vara klart till midsommar.",
    "Den nya lekplatsen i parken har gungor, sandlåda och en liten klätterställning.",
    "Under kvällen visades en film om ortens historia från sekelskiftet fram till idag.",
    "Biltrafiken i centrum har minskat sedan den nya förbifarten öppnade.",
]

# Text size up to which a document has its kind's full density of domain vocabulary, hard
# negatives and markers; a larger one is diluted with NEUTRAL prose (about 7 500 findings per MB at
# full density, so a 1 MB document stays far below the 20 000 limit and so does a diluted big one).
FULL_DENSITY_BYTES = 1 << 20

SENTENCES = {
    "motesanteckningar": [
        "Ärendet gäller {namn} som har ansökt om bistånd i form av hemtjänst.",
        "Nämnden beslutade att bevilja insatsen enligt förvaltningens förslag.",
        "Handläggaren {namn2} föredrog ärendet och svarade på frågor.",
        "Individärendena behandlades under sekretess och protokollförs i särskild ordning.",
        "Beslutet om placering i familjehem följs upp inom tre månader.",
        "Utredningen visar att behovet av stöd kvarstår.",
    ],
    "orosanmalan": [
        "Anmälan har inkommit från skolan avseende {namn}.",
        "Skolkuratorn uppger att eleven vid flera tillfällen har varit frånvarande utan giltigt skäl.",
        "Anmälaren vill vara anonym gentemot vårdnadshavarna.",
        "Förhandsbedömning ska göras skyndsamt och senast inom fjorton dagar.",
        "Barnet har berättat om bråk i hemmet och att hen ibland inte vill gå hem.",
        "Socialsekreterare {namn2} kontaktade vårdnadshavare per telefon samma dag.",
        "Beslut fattades att inleda barnavårdsutredning.",
    ],
    "personallista": [
        "Förteckningen är upprättad av HR-avdelningen och uppdateras varje månad.",
        "Uppgifterna används för lönehantering och schemaläggning.",
    ],
    "rehabiliteringsutredning": [
        "Medarbetaren {namn} har varit sjukskriven på heltid sedan början av året.",
        "Läkarintyget anger utmattningssyndrom och rekommenderar arbetsträning i liten omfattning.",
        "Ett rehabiliteringsmöte hölls med företagshälsovården och Försäkringskassan.",
        "Arbetsanpassning i form av ändrade arbetsuppgifter har prövats.",
        "Chefen {namn2} ansvarar för att rehabplanen följs upp var fjärde vecka.",
        "Medarbetaren har själv framfört önskemål om omplacering.",
    ],
    "upphandling": [
        "Upphandlingen avser ramavtal för skolmåltider med option på förlängning.",
        "Anbud ska vara inkomna senast kl. 23.59 sista anbudsdagen.",
        "Utvärderingen sker enligt principen bästa förhållandet mellan pris och kvalitet.",
        "Leverantören ska kunna leverera till samtliga skolor inom kommunen.",
        "Frågor om upphandlingen ställs via upphandlingsverktyget.",
        "Tilldelningsbeslut beräknas skickas ut under vecka 12.",
        "Anbudsgivaren ska bifoga registreringsbevis och skatteintyg.",
    ],
    "policy": [
        "Alla medarbetare ska känna till reglerna om sekretess i offentlighets- och sekretesslagen.",
        "Enligt 26 kap. 1 § OSL gäller sekretess inom socialtjänsten för uppgift om enskilds personliga förhållanden.",
        "Sekretessen enligt 25 kap. 1 § offentlighets- och sekretesslagen (2009:400) gäller inom hälso- och sjukvården.",
        "En handling som innehåller sekretessbelagda uppgifter får markeras enligt 5 kap. 5 § OSL.",
        "Sekretessprövningen görs alltid när en begäran om allmän handling kommer in.",
        "Riktlinjen revideras vartannat år av kommunledningskontoret.",
        "Utbildning i offentlighet och sekretess erbjuds alla nyanställda.",
        "Frågor om utlämnande av allmän handling besvaras av kommunens registratur.",
    ],
}

# Phrases that mark OSL-sensitive content about an individual (counted as osl_markers).
OSL_MARKERS = [
    "Sekretess enligt 26 kap. 1 § OSL.",
    "Omfattas av sekretess enligt 26 kap. 1 § offentlighets- och sekretesslagen (2009:400).",
    "Sekretessmarkerad enl. 23 kap. 2 § OSL 2026-03-02 Vaktby kommun.",
    "Sekretess enligt 39 kap. 3 § OSL.",
    "Uppgifterna får inte lämnas ut.",
    "Barnet har skyddad folkbokföring.",
    "Vård enligt 2 § LVU har aktualiserats.",
]
OSL_FOR_KIND = {"motesanteckningar": [0, 1, 4], "orosanmalan": [0, 1, 5, 6],
                "personallista": [3], "rehabiliteringsutredning": [3, 4], "upphandling": [],
                "policy": []}

ID_PHRASES = [
    "Personnummer: {id}.",
    "{namn}, personnummer {id}, är aktuell sedan tidigare.",
    "Pnr {id} enligt folkbokföringen.",
    "Den enskildes personnummer är {id}.",
    "Barnets personnr: {id}",
]
SAMORDNING_PHRASES = [
    "Samordningsnummer: {id}.",
    "{namn} har samordningsnummer {id}.",
]


@dataclasses.dataclass
class Truth:
    personnummer: int = 0
    samordningsnummer: int = 0
    distinct: set = dataclasses.field(default_factory=set)
    forms: dict = dataclasses.field(default_factory=dict)
    osl_markers: int = 0
    negatives: int = 0

    def add(self, other):
        self.personnummer += other.personnummer
        self.samordningsnummer += other.samordningsnummer
        self.distinct |= other.distinct
        for k, v in other.forms.items():
            self.forms[k] = self.forms.get(k, 0) + v
        self.osl_markers += other.osl_markers
        self.negatives += other.negatives

    def as_json(self):
        return {"personnummer": self.personnummer, "samordningsnummer": self.samordningsnummer,
                "identity_total": self.personnummer + self.samordningsnummer,
                "distinct_identities": len(self.distinct), "forms": dict(sorted(self.forms.items())),
                "osl_markers": self.osl_markers, "hard_negatives": self.negatives}


@dataclasses.dataclass
class Document:
    kind: str
    title: str
    blocks: list
    truth: Truth

    def lines(self):
        """Plain-text lines: a paragraph per line, table cells joined by tabs."""
        for b in self.blocks:
            yield b if isinstance(b, str) else "\t".join(b)


def _name(rng):
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _digits(rng, n):
    return "".join(rng.choice("0123456789") for _ in range(n))


def hard_negative(rng):
    """A string that looks number-like but is never a valid personnummer at a digit boundary."""
    pick = rng.randrange(10)
    if pick == 0:
        return f"Telefon 070-{_digits(rng, 3)} {_digits(rng, 2)} {_digits(rng, 2)}"
    if pick == 1:
        return f"Växel +46 8 {_digits(rng, 3)} {_digits(rng, 3)} {_digits(rng, 2)}"
    if pick == 2:
        return "Organisationsnummer " + rng.choice(["212000-0142", "212000-1355", "222000-0315"])
    if pick == 3:
        nine = "556" + _digits(rng, 6)
        return f"Leverantörens orgnr {nine[:6]}-{nine[6:]}{idnum.luhn_digit(nine)}"
    if pick == 4:
        while True:
            inv = _digits(rng, 8)
            if not idnum.luhn_ok(inv):
                return f"Fakturanummer {inv}"
    if pick == 5:
        while True:
            ocr = _digits(rng, rng.choice([10, 12]))
            if not idnum.could_be_identity(ocr) and not idnum.luhn_ok(ocr):
                return f"OCR-nummer {ocr}"
    if pick == 6:
        # A test number glued inside a 13-16 digit run: must not match (digit boundary rule).
        # The whole run fails Luhn too, so it is not a payment card number either.
        core = rng.choice(idnum.PERSONNUMMER)
        while True:
            extra = _digits(rng, rng.randint(1, 4))
            run = extra + core if rng.random() < 0.5 else core + extra
            if not idnum.luhn_ok(run):
                return f"Referens {run}"
    if pick == 7:
        # Bad check digit.
        core = rng.choice(idnum.PERSONNUMMER)
        bad = core[:11] + str((int(core[11]) + rng.randint(1, 9)) % 10)
        return f"Felaktigt nummer {bad[:8]}-{bad[8:]}"
    if pick == 8:
        # Valid Luhn, impossible month.
        nine = f"99{rng.randint(13, 19)}{rng.randint(10, 28)}{_digits(rng, 3)}"
        return f"Ärendenummer {nine[:6]}-{nine[6:]}{idnum.luhn_digit(nine)}"
    while True:  # grouped 16 digits that fail Luhn: looks like a card, is not one
        card = _digits(rng, 16)
        if not idnum.luhn_ok(card):
            return f"Kortnummer {card[:4]} {card[4:8]} {card[8:12]} {card[12:]}"


def _identity(rng, truth):
    if rng.random() < 0.15:
        number, phrases = rng.choice(idnum.SAMORDNINGSNUMMER), SAMORDNING_PHRASES
        truth.samordningsnummer += 1
    else:
        number, phrases = rng.choice(idnum.PERSONNUMMER), ID_PHRASES
        truth.personnummer += 1
    form = rng.choice(idnum.FORMS)
    truth.distinct.add(number)
    truth.forms[form] = truth.forms.get(form, 0) + 1
    return rng.choice(phrases).format(id=idnum.surface(number, form), namn=_name(rng))


def _sentence(rng, kind, density=1.0):
    r = rng.random()
    if r < 0.6 * density:
        pool = SENTENCES[kind]
    elif r < density:
        pool = FILLER
    else:
        pool = NEUTRAL
    return rng.choice(pool).format(namn=_name(rng), namn2=_name(rng))


def compose(kind, rng, text_bytes, max_ids=MAX_IDS_PER_FILE, density=None):
    """Builds a document of roughly text_bytes UTF-8 bytes of text with at most max_ids identities.
    density (0-1] scales domain vocabulary, hard negatives and markers; default: full up to
    FULL_DENSITY_BYTES, then diluted in proportion."""
    if density is None:
        density = min(1.0, FULL_DENSITY_BYTES / max(1, text_bytes))
    truth = Truth()
    unit = rng.choice(UNITS)
    title = {"motesanteckningar": "Mötesanteckningar", "orosanmalan": "Orosanmälan",
             "personallista": "Personallista", "rehabiliteringsutredning": "Rehabiliteringsutredning",
             "upphandling": "Upphandling", "policy": "Riktlinje för offentlighet och sekretess"}[kind]
    blocks = [f"{title} – {unit}", f"Vaktby kommun, diarienummer {unit[:2].upper()} 2026/{rng.randint(10, 999)}"]
    size = sum(len(b.encode()) + 1 for b in blocks)
    ids_wanted = 0
    if kind in PERSON_KINDS:
        ids_wanted = min(max_ids, max(1, text_bytes // BYTES_PER_ID[kind]))
    markers = OSL_FOR_KIND[kind]
    if markers:
        blocks.append(OSL_MARKERS[rng.choice(markers)])
        truth.osl_markers += 1
    if kind == "personallista":
        blocks.append(["Namn", "Personnummer", "Befattning", "Enhet", "Telefon"])
    ids_done = 0
    while size < text_bytes:
        # Spread identities evenly: how many should exist by now at this point of the document.
        due = ids_wanted * min(1.0, size / max(1, text_bytes))
        if kind == "personallista" and ids_done < ids_wanted:
            number = rng.choice(idnum.PERSONNUMMER)
            form = rng.choice(("12-dash", "12-plain", "10-dash"))
            truth.personnummer += 1
            truth.distinct.add(number)
            truth.forms[form] = truth.forms.get(form, 0) + 1
            ids_done += 1
            row = [_name(rng), idnum.surface(number, form), rng.choice(TITLES), rng.choice(UNITS),
                   f"070-{_digits(rng, 3)} {_digits(rng, 2)} {_digits(rng, 2)}"]
            truth.negatives += 1
            blocks.append(row)
            size += sum(len(c.encode()) + 1 for c in row)
            continue
        parts = [_sentence(rng, kind, density) for _ in range(rng.randint(2, 5))]
        while ids_done < ids_wanted and ids_done <= due:
            parts.insert(rng.randrange(len(parts) + 1), _identity(rng, truth))
            ids_done += 1
        if rng.random() < 0.25 * density:
            parts.insert(rng.randrange(len(parts) + 1), hard_negative(rng) + ".")
            truth.negatives += 1
        if markers and rng.random() < 0.05 * density:
            parts.append(OSL_MARKERS[rng.choice(markers)])
            truth.osl_markers += 1
        para = " ".join(parts)
        blocks.append(para)
        size += len(para.encode()) + 1
    if ids_done < ids_wanted:
        blocks.append(" ".join(_identity(rng, truth) for _ in range(ids_wanted - ids_done)))
    return Document(kind, title, blocks, truth)


def pool_document(rng, text_bytes, density=1.0, ids_per_chunk=None, chunk=64 * 1024):
    """A large mixed document for matcher throughput: kinds interleaved in chunks.
    ids_per_chunk caps identities per chunk (None: the kind's own density)."""
    blocks, truth = [], Truth()
    size = 0
    while size < text_bytes:
        kind = rng.choice(("motesanteckningar", "orosanmalan", "rehabiliteringsutredning",
                           "upphandling", "policy"))
        cap = MAX_IDS_PER_FILE if ids_per_chunk is None else ids_per_chunk
        doc = compose(kind, rng, min(chunk, text_bytes - size), cap, density)
        blocks.extend(doc.blocks)
        truth.add(doc.truth)
        size += sum(len(line.encode()) + 1 for line in doc.lines())
    return Document("blandat", "Blandad text", blocks, truth)


if __name__ == "__main__":
    d = compose("orosanmalan", random.Random(1), 4000)
    print("\n".join(d.lines()))
    print(d.truth.as_json())

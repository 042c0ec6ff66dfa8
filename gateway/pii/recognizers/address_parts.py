"""The pieces postal addresses are built from, as regular expressions (see ``address.py``)."""

from __future__ import annotations

# USPS Publication 28 street suffixes (common ones, full and abbreviated) and UK / Irish street words.
_SUFFIX_WORDS = (
    "Street St Avenue Ave Av Road Rd Boulevard Blvd Drive Dr Lane Ln Court Ct Place Pl Way Wy Terrace Ter"
    " Circle Cir Parkway Pkwy Highway Hwy Square Sq Trail Trl Loop Plaza Plz Pike Row Alley Aly Path"
    " Crescent Cres Close Gardens Gdns Grove Grv Hill Hl Heights Hts Ridge Rdg Run Point Pt Crossing Xing"
    " Bend Cove Cv Glen Hollow Holw Park Pass Landing Lndg Meadow Meadows Mdws Mews Gate Green Walk Commons"
    " Estates Expressway Expy Freeway Fwy Turnpike Tpke Center Ctr Junction Jct Manor Mnr Village Vlg"
    " View Vw Vista Wharf Quay Esplanade Parade Rise Causeway Cswy Creek Crk Falls Fls Forest Frst Harbor"
    " Hbr Island Is Knoll Knl Lake Lk Mill Ml Mount Mt Orchard Orch Oval Ranch Shore Spring Spg Springs"
    " Summit Smt Trace Trce Valley Vly Wood Woods Wynd Yard Approach Chase Croft Drove Hey Nook Wharf"
)
_SUFFIX = (
    "(?:"
    + "|".join(sorted({w for s in _SUFFIX_WORDS.split() for w in (s, s.upper())}, key=len, reverse=True))
    + ")"
)
_STATE_ABBR = (
    r"(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH"
    r"|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR|GU|VI)"
)
_STATE_NAME = (
    r"(?:Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii"
    r"|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan"
    r"|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico"
    r"|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island"
    r"|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia"
    r"|Wisconsin|Wyoming|District of Columbia|Puerto Rico)"
)
_PROVINCE = (
    r"(?:AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT|Alberta|British Columbia|Manitoba|New Brunswick"
    r"|Newfoundland(?: and Labrador)?|Nova Scotia|Ontario|Prince Edward Island|Quebec|Québec|Saskatchewan)"
)
ZIP = r"\d{5}(?:-\d{4})?"
# Royal Mail post codes and Irish Eircodes ("D08 XY12").
UK_POSTCODE = r"(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|[A-Z]\d[\dW]\s?[A-Z\d]{4})"
CA_POSTCODE = r"(?:[A-Z]\d[A-Z][ -]?\d[A-Z]\d)"
EU_POSTCODE = r"(?:\d{5}-\d{3}|\d{2}-\d{3}|(?:[A-Z]{1,2}-)?\d{4,5}(?:\s?[A-Z]{2}(?![a-z]))?)"
# Any post code that can close an address: US, UK/Irish, Canadian, continental, Indian PIN.
ANY_POSTCODE = rf"(?:{ZIP}|{UK_POSTCODE}|{CA_POSTCODE}|{EU_POSTCODE}|\d{{3}}\s?\d{{3}})"
_COUNTRY = (
    r"(?:,?\s+(?:USA|U\.S\.A\.|U\.S\.|United States(?: of America)?|UK|U\.K\.|United Kingdom|England"
    r"|Scotland|Wales|Ireland|Canada|Germany|Deutschland|France|Spain|Italy|Netherlands|Belgium|Austria"
    r"|Switzerland|Portugal|Poland|Sweden|Norway|Denmark|Mexico|Australia)\b)?"
)
_WORD = r"[A-Z][a-zA-Z'’.-]*[a-z][a-zA-Z'’.-]*"
_NAME_WORD = rf"(?:{_WORD}|\d+(?:st|nd|rd|th)|[A-Z]{{2,}}|St\.|Saint|Mt\.|Ft\.|of|the|de|la|del)"
_DIRECTION = r"(?:(?:[NSEW]|North|South|East|West|NE|NW|SE|SW|N\.E\.|N\.W\.|S\.E\.|S\.W\.)\.?\s+)"
_HOUSE = r"\b\d{1,6}[A-Za-z]?(?:[-/]\d{1,4}[A-Za-z]?|\s?1/2)?"
_CAPITAL = r"[A-ZÀ-ÖØ-ÞŁŚŻŹĆŃ]"
# "Rio de Janeiro", "Stratford-upon-Avon", "São Paulo", "Dublin 11" (a postal district number).
CITY = (
    rf"{_CAPITAL}[\w.'’-]+(?:[ -](?:(?:de|da|do|dos|das|del|la|le|sur|upon|on|am|im)[ -])?{_CAPITAL}[\w.'’-]+){{0,3}}"
    r"(?:[ \t]\d{1,2}\b)?"
)
# "^" separates address components in HL7 v2 fields.
_SEPARATOR = r"(?:,[ \t]*\n?[ \t]*|[ \t]*\n[ \t]*|[ \t]+|\^)"

STREET = (
    rf"(?:{_HOUSE}\s+(?:Broadway|BROADWAY|(?:(?:US|U\.S\.|State|County|Farm\s+to\s+Market)\s+)?(?:Route|Rte|Highway|Hwy|Road|Rd)\s+\d{{1,4}}[A-Z]?)\b"
    rf"|{_HOUSE}\s+{_DIRECTION}?(?:{_NAME_WORD}\s+){{1,4}}{_SUFFIX}\b\.?(?:\s+(?:[NSEW]|NE|NW|SE|SW)\b\.?)?)"
)
UNIT = (
    r"(?:,?\s*(?:Apt|Apartment|Unit|Suite|Ste|Fl|Floor|Flat|Rm|Room|Bldg|Building|Lot|Space|Spc|Dept|Trlr|No"
    r"|APT|UNIT|SUITE|STE|#)\.?\s*#?\s*[A-Za-z0-9-]{1,6}\b)"
)
# A flat or unit written before the house number: "Flat 2B, 9 Marine Parade", "Apt 4 - 12 Elm St".
UNIT_BEFORE = r"(?:(?i:flat|apt\.?|apartment|unit|suite|ste\.?)\s*#?\s*[A-Za-z0-9-]{1,5}(?:,|\s+-)?\s+)"
# A street without a suffix ("45 Kingsway", "55 Rue Sainte-Catherine") counts when a post code closes it.
NO_SUFFIX_WITH_CODE = (
    rf"{_HOUSE}\s+(?:{_NAME_WORD}\s+){{0,3}}{_NAME_WORD},[ \t]*(?:(?:{CITY},?[ \t]+)?(?:{_PROVINCE},?[ \t]+)?"
    rf"(?:{UK_POSTCODE}|{CA_POSTCODE})|{CITY},?[ \t]+{_STATE_ABBR}[ \t]+{ZIP})\b{_COUNTRY}"
)
PO_BOX = r"\b(?i:P\.?\s?O\.?\s*Box|Post\s+Office\s+Box|PMB|Private\s+Bag)\s+#?\d{1,6}"
# City then a state, province or post code; the ZIP or post code closes the address when present.
_REGION_AND_CODE = (
    rf"(?:,?[ \t]+{_STATE_ABBR}(?:[ \t]+{ZIP})?\b|,?[ \t]+{_STATE_NAME}(?:,?[ \t]+{ZIP})?\b"
    rf"|,?[ \t]+{_PROVINCE}(?:,?[ \t]+{CA_POSTCODE})?\b|(?:,?[ \t]+{CITY})?,?[ \t]+{UK_POSTCODE}\b"
    rf"|[ \t]+{ZIP}\b)"
)
# Without a region or code, a neighbourhood and a city may follow up to the clause end ("…, Bodija, Ibadan.").
CITY_TAIL = (
    rf"(?:{_SEPARATOR}{CITY}{_REGION_AND_CODE}{_COUNTRY}|(?:,[ \t]*{CITY}){{1,2}}(?=[ \t]*(?:[.;)\n]|$)))"
)
# "Springfield, IL 62704", "Toronto, ON M5V 2T6", "London SW1A 2AA" on their own: a region and a code.
US_CITY_LINE = (
    rf"\b{CITY},[ \t]+(?:{_STATE_ABBR}|{_STATE_NAME})[ \t]+{ZIP}\b{_COUNTRY}"
    rf"|\b{CITY},?[ \t]+{_PROVINCE},?[ \t]+{CA_POSTCODE}\b{_COUNTRY}"
    rf"|\b{CITY},?[ \t]+{UK_POSTCODE}\b{_COUNTRY}"
)
# Continental order: "Hauptstraße 12, 10115 Berlin", "Via Roma 12, 00184 Roma", "15 rue de Rivoli, 75001 Paris".
_CONTINENTAL_STREET = (
    r"(?:[A-ZÄÖÜ][\wäöüß'’-]*(?i:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm|laan|straat|gracht"
    r"|plein|kade|vej|gade|gatan|vägen|veien|ulica)|(?:ul|al|os|pl)\.\s+[A-ZŁŚŻŹ][\wąćęłńóśźż'’-]+(?:\s+[A-ZŁŚŻŹ][\wąćęłńóśźż'’-]+)?"
    r"|(?:Via|Viale|Piazza|Corso|Calle|Avenida|Av\.|Plaza|Paseo|Carrer|Rua|Travessa|Rue|Avenue|Boulevard"
    r"|Chemin|Allée|Impasse|Quai|Cours|Place)(?:\s+(?:[A-Za-zÀ-ÿ'’-]+)){1,4}?)"
)
CONTINENTAL = (
    rf"(?:\b{_CONTINENTAL_STREET},?\s+\d{{1,4}}[a-zA-Z]?(?:\s+m\.\s*\d{{1,4}}|,\s*(?i:apto|apt|ap)\.?\s*\d{{1,5}})?|\b\d{{1,4}}(?:\s?(?:bis|ter))?,?\s+"
    rf"(?i:rue|avenue|boulevard|bd|place|chemin|allée|impasse|quai|cours|via|calle)(?:\s+[A-Za-zÀ-ÿ'’-]+){{1,4}}?)"
    rf"(?:,?\s+{EU_POSTCODE}\s+{CITY}|,\s*{CITY}(?:\s+-\s+[A-Z]{{2}})?,\s*{EU_POSTCODE}){_COUNTRY}"
)
# "Flat 771, Shanti Apartments, 18th Cross, Bandra West, Mumbai 400050": a unit first, then named
# parts, closed by a post code (without one the end cannot be told from the sentence).
UNIT_FIRST = (
    r"\b(?i:flat|apartment|apt|unit|suite|house\s+no\.?)\s*\d{1,5}[A-Za-z]?"
    rf"(?:,[ \t]*[^\n,;|()]{{2,40}}?){{1,6}}?,?[ \t]*(?:-[ \t]*)?{ANY_POSTCODE}\b"
)

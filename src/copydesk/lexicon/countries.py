"""Countries and territories as news writes them: names, and the adjectives and demonyms that stand
for them in a title ("Canadian Prime Minister", "Canada's prime minister", "Prime Minister of Canada").

One row per World Factbook entity of the built-in knowledge base (keyed by its GEC code, as in
``leaders.jsonl``): the *key* that office keys use (``prime minister|canada``), the name as a label
writes it (with "the" where English wants one), other names, and adjectives. An adjective that
stands for two countries ("Congolese", "Dominican", "Korean") is left out: a title it qualifies is
matched to neither, never to the wrong one.
"""

from __future__ import annotations

import re
from functools import lru_cache

# code | label name | other names (;) | adjectives and demonyms (;)
_TABLE = """
af | Afghanistan | | Afghan
ax | Akrotiri | |
al | Albania | | Albanian
ag | Algeria | | Algerian
aq | American Samoa | | American Samoan
an | Andorra | | Andorran
ao | Angola | | Angolan
av | Anguilla | | Anguillan
ac | Antigua and Barbuda | Antigua | Antiguan
ar | Argentina | | Argentine;Argentinian;Argentinean
am | Armenia | | Armenian
aa | Aruba | | Aruban
as | Australia | | Australian
au | Austria | | Austrian
aj | Azerbaijan | | Azerbaijani;Azeri
ba | Bahrain | | Bahraini
bg | Bangladesh | | Bangladeshi
bb | Barbados | | Barbadian;Bajan
bo | Belarus | | Belarusian;Belarussian
be | Belgium | | Belgian
bh | Belize | | Belizean
bn | Benin | | Beninese
bd | Bermuda | | Bermudian
bt | Bhutan | | Bhutanese
bl | Bolivia | | Bolivian
bk | Bosnia and Herzegovina | Bosnia;Bosnia-Herzegovina | Bosnian
bc | Botswana | | Botswanan;Motswana
br | Brazil | | Brazilian
io | the British Indian Ocean Territory | Chagos Islands |
vi | the British Virgin Islands | |
bx | Brunei | Brunei Darussalam | Bruneian
bu | Bulgaria | | Bulgarian
uv | Burkina Faso | | Burkinabe;Burkinabè
bm | Myanmar | Burma | Burmese
by | Burundi | | Burundian
cv | Cabo Verde | Cape Verde | Cabo Verdean;Cape Verdean
cb | Cambodia | | Cambodian
cm | Cameroon | | Cameroonian
ca | Canada | | Canadian
cj | the Cayman Islands | Caymans | Caymanian
ct | the Central African Republic | CAR | Central African
cd | Chad | | Chadian
ci | Chile | | Chilean
ch | China | People's Republic of China;PRC | Chinese
kt | Christmas Island | |
ck | the Cocos (Keeling) Islands | Cocos Islands;Cocos Keeling Islands |
co | Colombia | | Colombian
cn | Comoros | the Comoros | Comoran;Comorian
cf | the Republic of the Congo | Congo-Brazzaville;Congo Brazzaville;Republic of Congo;Congo (Brazzaville) |
cw | the Cook Islands | |
cs | Costa Rica | | Costa Rican
hr | Croatia | | Croatian
cu | Cuba | | Cuban
uc | Curaçao | Curacao |
cy | Cyprus | | Cypriot
ez | the Czech Republic | Czechia | Czech
iv | Côte d'Ivoire | Cote d'Ivoire;Ivory Coast | Ivorian
cg | the Democratic Republic of the Congo | DRC;DR Congo;Congo-Kinshasa;\
    Democratic Republic of Congo;Congo (Kinshasa) |
da | Denmark | | Danish;Dane
dx | Dhekelia | |
dj | Djibouti | | Djiboutian
do | Dominica | |
ec | Ecuador | | Ecuadorian;Ecuadorean
eg | Egypt | | Egyptian
es | El Salvador | | Salvadoran;Salvadorian
ek | Equatorial Guinea | | Equatorial Guinean;Equatoguinean
er | Eritrea | | Eritrean
en | Estonia | | Estonian
wz | Eswatini | Swaziland | Swazi
et | Ethiopia | | Ethiopian
fk | the Falkland Islands | Falklands;Islas Malvinas;Falkland Islands (Islas Malvinas) | Falkland Islander
fo | the Faroe Islands | Faroes;Faeroe Islands | Faroese
fm | Micronesia | Federated States of Micronesia | Micronesian
fj | Fiji | | Fijian
fi | Finland | | Finnish
fr | France | | French
fp | French Polynesia | | French Polynesian
fs | the French Southern and Antarctic Lands | |
gb | Gabon | | Gabonese
gg | Georgia | | Georgian
gm | Germany | | German
gh | Ghana | | Ghanaian
gi | Gibraltar | | Gibraltarian
gr | Greece | | Greek
gl | Greenland | | Greenlandic
gj | Grenada | | Grenadian
gq | Guam | | Guamanian
gt | Guatemala | | Guatemalan
gk | Guernsey | |
gv | Guinea | Guinea-Conakry | Guinean
pu | Guinea-Bissau | | Bissau-Guinean
gy | Guyana | | Guyanese
ha | Haiti | | Haitian
vt | the Holy See | Vatican;Vatican City;the Vatican;Holy See (Vatican City) |
ho | Honduras | | Honduran
hk | Hong Kong | |
hu | Hungary | | Hungarian
ic | Iceland | | Icelandic
in | India | | Indian
id | Indonesia | | Indonesian
ir | Iran | | Iranian
iz | Iraq | | Iraqi
ei | Ireland | Republic of Ireland | Irish
im | the Isle of Man | | Manx
is | Israel | | Israeli
it | Italy | | Italian
jm | Jamaica | | Jamaican
ja | Japan | | Japanese
je | Jersey | |
jo | Jordan | | Jordanian
kz | Kazakhstan | | Kazakh;Kazakhstani
ke | Kenya | | Kenyan
kr | Kiribati | | I-Kiribati
kv | Kosovo | | Kosovar;Kosovan
ku | Kuwait | | Kuwaiti
kg | Kyrgyzstan | | Kyrgyz;Kyrgyzstani
la | Laos | | Lao;Laotian
lg | Latvia | | Latvian
le | Lebanon | | Lebanese
lt | Lesotho | | Basotho
li | Liberia | | Liberian
ly | Libya | | Libyan
ls | Liechtenstein | |
lh | Lithuania | | Lithuanian
lu | Luxembourg | | Luxembourgish;Luxembourger
mc | Macau | Macao | Macanese
ma | Madagascar | | Malagasy
mi | Malawi | | Malawian
my | Malaysia | | Malaysian
mv | the Maldives | Maldives | Maldivian
ml | Mali | | Malian
mt | Malta | | Maltese
rm | the Marshall Islands | | Marshallese
mr | Mauritania | | Mauritanian
mp | Mauritius | | Mauritian
mx | Mexico | | Mexican
md | Moldova | | Moldovan
mn | Monaco | | Monegasque;Monégasque
mg | Mongolia | | Mongolian
mj | Montenegro | | Montenegrin
mh | Montserrat | |
mo | Morocco | | Moroccan
mz | Mozambique | | Mozambican
wa | Namibia | | Namibian
nr | Nauru | | Nauruan
np | Nepal | | Nepali;Nepalese
nl | the Netherlands | Holland | Dutch
nc | New Caledonia | | New Caledonian
nz | New Zealand | |
nu | Nicaragua | | Nicaraguan
ng | Niger | | Nigerien
ni | Nigeria | | Nigerian
ne | Niue | | Niuean
nf | Norfolk Island | |
kn | North Korea | DPRK | North Korean
mk | North Macedonia | Macedonia | North Macedonian;Macedonian
cq | the Northern Mariana Islands | |
no | Norway | | Norwegian
mu | Oman | | Omani
pk | Pakistan | | Pakistani
ps | Palau | | Palauan
pm | Panama | | Panamanian
pp | Papua New Guinea | PNG | Papua New Guinean
pa | Paraguay | | Paraguayan
pe | Peru | | Peruvian
rp | the Philippines | Philippines | Philippine;Filipino
pc | the Pitcairn Islands | Pitcairn |
pl | Poland | | Polish
po | Portugal | | Portuguese
rq | Puerto Rico | | Puerto Rican
qa | Qatar | | Qatari
ro | Romania | | Romanian
rs | Russia | Russian Federation | Russian
rw | Rwanda | | Rwandan
tb | Saint Barthélemy | Saint Barthelemy;St Barts;St. Barts;Saint-Barthélemy |
sh | Saint Helena | Saint Helena, Ascension and Tristan da Cunha;St Helena;\
    Saint Helena, Ascension, and Tristan da Cunha |
sc | Saint Kitts and Nevis | St Kitts and Nevis;St. Kitts and Nevis | Kittitian
st | Saint Lucia | St Lucia;St. Lucia | Saint Lucian
rn | Saint Martin | |
sb | Saint Pierre and Miquelon | |
vc | Saint Vincent and the Grenadines | St Vincent;St. Vincent;Saint Vincent | Vincentian
ws | Samoa | | Samoan
sm | San Marino | | Sammarinese
tp | São Tomé and Príncipe | Sao Tome and Principe;Sao Tome |
sa | Saudi Arabia | | Saudi
sg | Senegal | | Senegalese
ri | Serbia | | Serbian
se | Seychelles | the Seychelles | Seychellois
sl | Sierra Leone | | Sierra Leonean
sn | Singapore | | Singaporean
nn | Sint Maarten | |
lo | Slovakia | | Slovak
si | Slovenia | | Slovenian;Slovene
bp | the Solomon Islands | Solomons |
so | Somalia | | Somali
sf | South Africa | | South African
ks | South Korea | Republic of Korea | South Korean
od | South Sudan | | South Sudanese
sp | Spain | | Spanish
ce | Sri Lanka | | Sri Lankan
su | Sudan | | Sudanese
ns | Suriname | Surinam | Surinamese
sv | Svalbard | |
sw | Sweden | | Swedish
sz | Switzerland | | Swiss
sy | Syria | | Syrian
tw | Taiwan | | Taiwanese
ti | Tajikistan | | Tajik
tz | Tanzania | | Tanzanian
th | Thailand | | Thai
bf | the Bahamas | Bahamas | Bahamian
dr | the Dominican Republic | Dominican Republic |
ga | the Gambia | Gambia | Gambian
tt | Timor-Leste | East Timor | Timorese;East Timorese
to | Togo | | Togolese
tl | Tokelau | |
tn | Tonga | | Tongan
td | Trinidad and Tobago | Trinidad | Trinidadian
ts | Tunisia | | Tunisian
tu | Turkey | Türkiye;Turkiye | Turkish
tx | Turkmenistan | | Turkmen
tk | the Turks and Caicos Islands | Turks and Caicos |
tv | Tuvalu | | Tuvaluan
ug | Uganda | | Ugandan
up | Ukraine | | Ukrainian
ae | the United Arab Emirates | UAE;U.A.E.;Emirates | Emirati
uk | the United Kingdom | Britain;Great Britain;UK;U.K. | British
us | the United States | America;United States of America;US;U.S.;U.S;USA;U.S.A. | American
uy | Uruguay | | Uruguayan
uz | Uzbekistan | | Uzbek
nh | Vanuatu | | Vanuatuan
ve | Venezuela | | Venezuelan
vm | Vietnam | Viet Nam | Vietnamese
vq | the U.S. Virgin Islands | US Virgin Islands;United States Virgin Islands;Virgin Islands |
wf | Wallis and Futuna | |
ym | Yemen | | Yemeni
za | Zambia | | Zambian
zi | Zimbabwe | | Zimbabwean
"""


class Country:
    """One country or territory of the table (a plain class: made at import, it must be cheap)."""

    __slots__ = ("adjectives", "code", "key", "label", "names")

    def __init__(
        self, code: str, key: str, label: str, names: tuple[str, ...], adjectives: tuple[str, ...]
    ) -> None:
        self.code = code
        """The World Factbook's GEC code (``uk``, ``gm`` for Germany)."""
        self.key = key
        """What office keys use: the label name, lower case, without "the" (``united kingdom``)."""
        self.label = label
        """The name as an office label writes it ("the United Kingdom")."""
        self.names = names
        self.adjectives = adjectives

    def __repr__(self) -> str:
        return f"Country({self.code!r}, {self.label!r})"

    @property
    def name(self) -> str:
        """The name without a leading "the" ("United Kingdom")."""
        return self.label.removeprefix("the ")

    def forms(self) -> tuple[str, ...]:
        """Every way a title can be qualified by this country: names, then adjectives."""
        return (self.name, *self.names, *self.adjectives)


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(";") if part.strip())


@lru_cache(maxsize=1)
def countries() -> dict[str, Country]:
    """Every country and territory of the table, by GEC code."""
    table: dict[str, Country] = {}
    for line in _TABLE.strip().splitlines():
        code, label, names, adjectives = (cell.strip() for cell in line.split("|"))
        key = label.removeprefix("the ").lower()
        table[code] = Country(code, key, label, _split(names), _split(adjectives))
    return table


@lru_cache(maxsize=1)
def forms_to_keys() -> dict[str, str]:
    """Every name and adjective, lower case, to its country's key ("british" -> "united kingdom")."""
    found: dict[str, str] = {}
    for country in countries().values():
        for form in country.forms():
            lowered = form.lower().removeprefix("the ")
            lowered = lowered.removesuffix("'s").removesuffix("'")
            found.setdefault(lowered, country.key)
    return found


def country_by_key(key: str) -> Country | None:
    """The country an office key's place names, if the table has it."""
    return _by_key().get(key)


@lru_cache(maxsize=1)
def _by_key() -> dict[str, Country]:
    return {c.key: c for c in countries().values()}


_TOKEN = re.compile(r"\S+")
_TRAILING = ',;:!?"\u201d)'


@lru_cache(maxsize=1)
def _longest_form() -> int:
    return max(len(form.split()) for form in forms_to_keys())


def _lookup(words: list[str]) -> str | None:
    """The key of the country ``words`` name, written with a capital (case matters: "Chad", "chad")."""
    return _lookup_written(words)[0]


def _lookup_written(words: list[str]) -> tuple[str | None, str]:
    """The key and the words as they name it: a full stop after the name ends the sentence unless
    it is part of it ("U.S.")."""
    if not words or not words[0][:1].isupper():
        return None, ""
    text = " ".join(words)
    for candidate in (text, text.rstrip(".")):
        key = key_of_form(candidate)
        if key is not None:
            return key, candidate
    return None, ""


def country_before(text: str, end: int) -> tuple[int, str] | None:
    """The country written just before ``end`` ("... the Canadian |", "Canada's |"): its start and
    key. The longest name wins ("Papua New Guinean", not "Guinean"); "New Mexico" is not Mexico."""
    head = text[max(0, end - 80) : end]
    if not head[-1:].isspace():
        return None
    offset = max(0, end - 80)
    tokens = list(_TOKEN.finditer(head))
    for size in range(min(_longest_form(), len(tokens)), 0, -1):
        chosen = tokens[-size:]
        words = [t.group(0) for t in chosen]
        words[-1] = words[-1].removesuffix("'s").removesuffix("\u2019s")
        key = _lookup(words)
        if key is None:
            continue
        before = tokens[-size - 1].group(0).lower() if len(tokens) > size else ""
        if before in NOT_A_COUNTRY_BEFORE:
            return None
        return offset + chosen[0].start(), key
    return None


_OF = re.compile(r"\s+(?:of|for)\s+(?:the\s+)?")


def country_after_of(text: str, start: int) -> tuple[int, str] | None:
    """The country of " of Canada" or " of the United Kingdom" at ``start``: where it ends, and its key."""
    of = _OF.match(text, start)
    if of is None:
        return None
    tokens = list(_TOKEN.finditer(text[of.end() : of.end() + 100]))
    for size in range(min(_longest_form(), len(tokens)), 0, -1):
        chosen = tokens[:size]
        words = [t.group(0) for t in chosen]
        last = words[-1]
        for trailing in (',;:!?"\u201d', _TRAILING):  # "(Brazzaville)," keeps its bracket
            words[-1] = last.rstrip(trailing).removesuffix("'s").removesuffix("\u2019s")
            key, written = _lookup_written(words)
            if key is not None:
                return of.end() + chosen[0].start() + len(written), key
    return None


def countries_in(text: str) -> set[str]:
    """The keys of every country ``text`` names."""
    tokens = [t.group(0) for t in _TOKEN.finditer(text)]
    found = set()
    index = 0
    while index < len(tokens):
        if tokens[index][:1].isupper():
            for size in range(min(_longest_form(), len(tokens) - index), 0, -1):
                words = tokens[index : index + size]
                words[-1] = words[-1].rstrip(_TRAILING).removesuffix("'s").removesuffix("\u2019s")
                key = _lookup(words)
                if key is not None:
                    found.add(key)
                    index += size - 1
                    break
        index += 1
    return found


NOT_A_COUNTRY_BEFORE = frozenset(
    {"new", "west", "east", "north", "south", "northern", "southern", "upper", "lower", "greater"}
)
"""A word that makes a longer place of a country name: "New Mexico", "West Virginia", "New Jersey"."""


def key_of_form(form: str) -> str | None:
    """The country key of a name or adjective as written ("British" -> "united kingdom")."""
    return forms_to_keys().get(form.lower().removeprefix("the "))

"""Paraphrase pairs for claim matching, written for this set from varied news topics.

Each topic has a claim the desk already holds (`existing`), a restatement of it in other words
(`same`: a true match) and a claim on the same topic that says something else (`other`: a hard
non-match: another figure, the opposite direction, another actor, a related but different
assertion). So half the pairs match and half are hard non-matches on the same topic.

Every third topic is held out: the threshold is tuned on the rest (`TUNING`) and reported on
both (`HELD_OUT` is never looked at while tuning)."""

from __future__ import annotations

from typing import NamedTuple


class Topic(NamedTuple):
    existing: str
    same: str
    other: str


TOPICS: list[Topic] = [
    Topic(  # labour market
        "The unemployment rate fell to 3.5% in May, the lowest level in fifty years.",
        "Joblessness dropped to 3.5 percent in May, a fifty-year low for the unemployment rate.",
        "The unemployment rate rose to 4.1% in May after three months of job losses.",
    ),
    Topic(  # inflation
        "Consumer prices rose 9.1% in the year to June, the fastest inflation since 1981.",
        "Annual inflation reached 9.1% in June, the fastest rise in consumer prices since 1981.",
        "Consumer prices rose 3.2% in the year to June as energy costs eased.",
    ),
    Topic(  # vaccines
        "The measles vaccine causes autism in children.",
        "Children who get the measles jab develop autism because of the vaccine.",
        "The measles vaccine is 97% effective after two doses in children.",
    ),
    Topic(  # climate
        "Arctic sea ice has shrunk by 40% since satellite records began in 1979.",
        "Since satellites started measuring it in 1979, Arctic sea ice has lost 40% of its extent.",
        "Antarctic sea ice reached a record high extent in 2014.",
    ),
    Topic(  # elections
        "More than 10,000 dead people voted in the Georgia presidential election.",
        "Over 10,000 deceased voters cast ballots in Georgia's presidential race.",
        "Georgia's presidential election recount confirmed the original result by 12,000 votes.",
    ),
    Topic(  # crime
        "Violent crime in London has doubled since 2015.",
        "The number of violent crimes in London is twice what it was in 2015.",
        "Knife crime in London fell by a quarter since 2015.",
    ),
    Topic(  # immigration
        "Net migration to the UK reached 745,000 in 2022, a record.",
        "A record 745,000 net migrants came to Britain in 2022.",
        "Net migration to the UK fell to 685,000 in 2023.",
    ),
    Topic(  # health spending
        "The government spends £350 million a week on EU membership that could fund the NHS.",
        "Britain sends the EU £350m every week, money that could go to the NHS instead.",
        "The government spends £190 million a week more on the NHS than in 2010.",
    ),
    Topic(  # energy
        "Wind power generated more electricity than gas in Britain for the first time last year.",
        "For the first time, British wind turbines produced more power than gas plants last year.",
        "Gas generated twice as much electricity as wind in Britain last winter.",
    ),
    Topic(  # public health
        "Drinking a glass of red wine a day protects against heart disease.",
        "A daily glass of red wine lowers your risk of heart disease.",
        "Drinking red wine every day raises the risk of breast cancer.",
    ),
    Topic(  # pandemic
        "Masks do not reduce the spread of Covid-19.",
        "Wearing a face mask does nothing to stop Covid-19 spreading.",
        "Masks reduce the spread of Covid-19 by half in schools.",
    ),
    Topic(  # housing
        "House prices in Spain rose 8% last year, the biggest jump since 2007.",
        "Spanish home prices climbed 8 percent in the past year, "
        "their largest increase since 2007.",
        "House prices in Spain fell 2% last year as mortgage rates climbed.",
    ),
    Topic(  # war
        "Russia has lost more than 300,000 soldiers in Ukraine since the invasion.",
        "Over 300,000 Russian troops have been killed or wounded in Ukraine "
        "since the invasion began.",
        "Ukraine has lost more than 300 tanks since the start of the counteroffensive.",
    ),
    Topic(  # education
        "One in five children in England leave primary school unable to read properly.",
        "Twenty percent of English pupils finish primary school without being able to read well.",
        "One in five teachers in England leave the profession within two years.",
    ),
    Topic(  # technology
        "5G masts spread the coronavirus.",
        "The coronavirus is being spread by 5G mobile phone towers.",
        "5G masts were set on fire in several British towns during the pandemic.",
    ),
    Topic(  # taxes
        "The richest 1% pay 28% of all income tax in the UK.",
        "Top one percent of earners contribute 28% of Britain's income tax receipts.",
        "The richest 1% pay an effective tax rate lower than nurses in the UK.",
    ),
    Topic(  # agriculture
        "Glyphosate weedkiller causes cancer in farmers.",
        "Farmers who use the weedkiller glyphosate get cancer from it.",
        "Glyphosate weedkiller was banned in France for home gardens in 2019.",
    ),
    Topic(  # transport
        "Electric cars produce more carbon emissions over their lifetime than petrol cars.",
        "Over their whole lifetime, EVs emit more carbon than petrol-powered cars.",
        "Electric cars made up one in four new car sales in China last year.",
    ),
    Topic(  # water
        "Water companies dumped raw sewage into English rivers 400,000 times in 2022.",
        "In 2022 there were 400,000 discharges of untreated sewage into rivers "
        "in England by water firms.",
        "Water companies paid £1.4 billion in dividends to shareholders in 2022.",
    ),
    Topic(  # science
        "Humans only use 10% of their brains.",
        "People use just a tenth of their brain capacity.",
        "The human brain uses 20% of the body's energy.",
    ),
    Topic(  # poverty
        "Four million children in the UK live in poverty.",
        "There are 4 million British children growing up in poverty.",
        "Four million people in the UK used a food bank last year.",
    ),
    Topic(  # space
        "The Apollo moon landings were faked in a film studio.",
        "NASA staged the moon landings on a film set instead of going to the Moon.",
        "The Apollo astronauts left a reflector on the Moon that scientists still use.",
    ),
    Topic(  # trade
        "China buys more American soybeans than any other country.",
        "No country imports more US soybeans than China.",
        "China cut its purchases of American soybeans by half during the trade war.",
    ),
    Topic(  # policing
        "Police in England and Wales recorded 6.7 million crimes last year.",
        "Last year 6.7 million offences were recorded by police forces in England and Wales.",
        "Police in England and Wales have 20,000 fewer officers than in 2010.",
    ),
    Topic(  # nutrition
        "Eating eggs every day raises cholesterol and causes heart attacks.",
        "A daily egg pushes up your cholesterol and leads to heart attacks.",
        "Eggs are a cheap source of protein and vitamin D.",
    ),
    Topic(  # disasters
        "The 2023 Turkey earthquake killed more than 50,000 people.",
        "Over 50,000 people died in Turkey's 2023 earthquake.",
        "The 2023 Turkey earthquake left 1.5 million people homeless.",
    ),
    Topic(  # wages
        "Real wages in Britain are lower today than they were in 2008.",
        "After inflation, British pay is still below its 2008 level.",
        "Real wages in Britain grew faster than in France since 2008.",
    ),
    Topic(  # guns
        "More Americans die from gun suicides than from gun homicides.",
        "Gun suicides kill more people in the US than gun homicides do.",
        "More Americans own guns today than in the 1990s.",
    ),
    Topic(  # deforestation
        "Deforestation in the Brazilian Amazon fell by half in 2023.",
        "Amazon forest clearing in Brazil dropped 50% in 2023.",
        "Deforestation in the Brazilian Amazon rose by half in 2019.",
    ),
    Topic(  # benefits
        "Benefit fraud costs taxpayers £8 billion a year.",
        "Fraudulent benefit claims cost the public £8bn every year.",
        "Unclaimed benefits are worth £19 billion a year.",
    ),
    Topic(  # health
        "Sugar makes children hyperactive.",
        "Children become hyperactive after eating sugar.",
        "Sugar taxes cut children's fizzy drink consumption by a third.",
    ),
    Topic(  # defence
        "Germany will spend 2% of its GDP on defence this year "
        "for the first time since the Cold War.",
        "For the first time since the Cold War, German defence spending hits 2% of GDP this year.",
        "Germany will spend 1.5% of its GDP on foreign aid this year.",
    ),
    Topic(  # internet
        "Half of the world's population does not have access to the internet.",
        "Around 50% of people on Earth are not online.",
        "Half of the world's internet traffic comes from mobile phones.",
    ),
    Topic(  # prisons
        "It costs £50,000 a year to keep a prisoner in jail in England.",
        "Keeping one inmate in an English prison costs taxpayers £50,000 annually.",
        "Prisons in England are 99% full, the highest on record.",
    ),
    Topic(  # tobacco
        "Vaping is 95% less harmful than smoking cigarettes.",
        "E-cigarettes are 95% safer than smoking tobacco.",
        "Vaping among teenagers has tripled in three years.",
    ),
    Topic(  # diplomacy
        "The United States gave Ukraine $75 billion in aid in the first year of the war.",
        "In the war's first year, Washington sent $75bn of assistance to Ukraine.",
        "The United States gave Israel $3.8 billion in military aid last year.",
    ),
]


class Pair(NamedTuple):
    topic: int
    existing: str
    text: str
    same: bool


def pairs(topics: list[Topic] = TOPICS) -> list[Pair]:
    out = []
    for number, topic in enumerate(topics):
        out.append(Pair(number, topic.existing, topic.same, True))
        out.append(Pair(number, topic.existing, topic.other, False))
    return out


def held_out(pair: Pair) -> bool:
    return pair.topic % 3 == 2


TUNING = [p for p in pairs() if not held_out(p)]
HELD_OUT = [p for p in pairs() if held_out(p)]

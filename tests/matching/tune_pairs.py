"""More tuning pairs (issue 19), written after the first tuning rules were in place to check
them on claims they were not shaped by: common fact-checked claims, each with a restatement
in other words and a claim on the same topic that says something else. Tuning only: the
threshold is chosen on these with `pairs.TUNING`; the held-out parts are never looked at."""

from __future__ import annotations

from tests.matching.pairs import Pair, Topic, pairs

TUNE_TOPICS: list[Topic] = [
    Topic(
        "Wind turbines kill millions of birds every year in the United States.",
        "Millions of birds die annually after flying into American wind farms.",
        "Wind power produced 10% of US electricity last year.",
    ),
    Topic(
        "Immigrants commit more crimes than people born in the country.",
        "Foreign-born residents are more likely to break the law than native-born citizens.",
        "Immigrants made up 14% of the population in 2022.",
    ),
    Topic(
        "The minimum wage will rise to £11.44 an hour in April.",
        "From April the national living wage goes up to £11.44 per hour.",
        "The minimum wage for 18 to 20 year olds will rise to £8.60 an hour in April.",
    ),
    Topic(
        "5G masts spread the coronavirus.",
        "Coronavirus is being transmitted by 5G phone towers.",
        "5G masts were set on fire in several towns during the pandemic.",
    ),
    Topic(
        "Crime in London has doubled in the last ten years.",
        "Offences recorded in London are twice as high as a decade ago.",
        "Knife crime in London fell by 10% last year.",
    ),
    Topic(
        "Electric cars produce more carbon emissions than petrol cars over their lifetime.",
        "Over their whole life, electric vehicles emit more CO2 than petrol-powered ones.",
        "Electric cars made up 16% of new car sales last year.",
    ),
    Topic(
        "The city has 4,000 homeless people sleeping on the streets every night.",
        "Every night some 4,000 people sleep rough in the city.",
        "The city has built 4,000 new social homes since 2020.",
    ),
    Topic(
        "Half of all food produced in the world is thrown away.",
        "50% of the world's food ends up wasted.",
        "Food prices in the world rose by a fifth in 2022.",
    ),
    Topic(
        "Teachers in Finland are paid twice as much as teachers in England.",
        "Finnish teachers earn double the salary of English teachers.",
        "Teachers in Finland have fewer pupils per class than teachers in England.",
    ),
    Topic(
        "Drinking coffee does not dehydrate you.",
        "Coffee doesn't cause dehydration.",
        "Drinking coffee raises blood pressure for a few hours.",
    ),
    Topic(
        "The president signed 40 executive orders in his first week.",
        "In his first seven days in office the president issued 40 executive orders.",
        "The courts blocked 12 of the president's executive orders.",
    ),
    Topic(
        "Police recorded 30,000 shoplifting offences in March, the highest figure on record.",
        "Shoplifting reports to the police hit a record 30,000 in March.",
        "Shoplifting offences fell to 20,000 in March.",
    ),
]

TUNE_EXTRA: list[Pair] = pairs(TUNE_TOPICS)

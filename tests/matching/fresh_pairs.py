"""A second held-out part of the paraphrase set, written (issue 19) from other real stories than
`pairs.py`, each from an article in the stored web pages the brief pointed at (its address
beside it), before the matcher ever ran on them, and never used to tune it.

As in `pairs.py`: each topic's `existing` claim is what the desk holds, `same` restates it in
other words (a true match), `other` is a claim on the same story that says something else."""

from __future__ import annotations

from tests.matching.pairs import Pair, Topic, pairs

FRESH_TOPICS: list[Topic] = [
    Topic(  # http://www.afscmeinfocenter.org/blog/category/statistics/page/138
        "The number of police officers killed in the US rose 44% in the first half of 2007.",
        "Killings of American law enforcement officers were up 44 percent in the first six "
        "months of 2007.",
        "Traffic incidents caused 45 of the officer deaths in the first half of 2007.",
    ),
    Topic(  # same page: FBI preliminary crime statistics for 2006
        "Violent crime in the United States increased 1.3 percent in 2006.",
        "The US saw violent crime go up by 1.3% in 2006, according to the FBI.",
        "Property crime in the United States decreased 2.9 percent in 2006.",
    ),
    Topic(  # https://webarchive.library.unt.edu/web/20120928145800/http://www.commerce.gov/blog/category/27?page=8
        "Retail sales in September 2010 were 7.3% higher than a year earlier.",
        "Sales at US retailers grew 7.3 percent between September 2009 and September 2010.",
        "Business inventories rose 4.7% in the year to August 2010.",
    ),
    Topic(  # https://lactobacto.com/category/healthy-living/page/54
        "Loneliness raises the risk of premature death by 14 percent in older adults.",
        "Older people who feel socially isolated are 14% more likely to die early.",
        "Loneliness weakens the immune system's response to viruses.",
    ),
    Topic(  # https://knowridge.com/2023/07/scientists-find-surprising-shifts-in-health-risk-factors-and-death/
        "Fewer than 3% of American adults have none of the 19 common health risk factors.",
        "Only under three percent of US adults are free of all 19 lifestyle risk factors.",
        "Obesity has become less deadly in the US since the 1980s thanks to better treatment.",
    ),
    Topic(  # https://interestingfactsworld.com/higher-risk-facts.html
        "Per mile travelled, motorcyclists are 35 times more likely to die in a crash than "
        "car drivers.",
        "Riding a motorbike carries a 35-fold higher risk of a fatal accident per mile than "
        "driving a car.",
        "Tall, thin men have a higher risk of a collapsed lung.",
    ),
    Topic(  # same page
        "Teenagers who smoke cannabis by age 14 drop out of school more often than those who "
        "do not.",
        "Adolescents using marijuana from the age of 14 are more likely to leave school early.",
        "Teenagers who wait until 17 to use cannabis do as well on cognitive tests as those who "
        "never use it.",
    ),
    Topic(  # https://informationhub460.blogspot.com/2023/05/voter-turnout-in-turkeys-elections.html?m=1
        "Turnout in Turkey's 2023 presidential election was over 88 percent.",
        "More than 88% of eligible Turkish voters cast a ballot in the 2023 presidential vote.",
        "Only 45% of Turkish voters abroad took part in the 2023 presidential election.",
    ),
    Topic(  # https://oracle-1953.kitsunebi.tk/news/search?form=YFNR&q=voter+turnout+news&qft=interval%3D%228%22
        "Voter turnout in Nova Scotia's provincial election fell to an all-time low of 45%.",
        "Just 45 per cent of Nova Scotia's electorate voted, the province's lowest turnout ever.",
        "Turnout in Nova Scotia's provincial election rose to a record high.",
    ),
    Topic(  # same page
        "More people in Maine voted in 2024 than in any previous election.",
        "Maine's 2024 election saw a record number of voters turn out.",
        "Fewer people in Maine voted in 2024 than in 2020.",
    ),
    Topic(  # https://usafacts.org/reports
        "There are 1.6 million gig economy workers in the United States.",
        "About 1.6 million Americans work in the gig economy for apps like Uber and TaskRabbit.",
        "There are 16 million gig economy workers in the United States.",
    ),
    Topic(  # http://www.telecommonthly.com/2013/01/apple-profits-go-up-shares-go-down/
        "Apple sold 47.8 million iPhones in the last quarter of 2012.",
        "In its holiday quarter Apple shipped 47.8m iPhones.",
        "Apple sold 22.9 million iPads in the last quarter of 2012.",
    ),
    Topic(  # https://fvbb.com/ns/apple-s-earnings-top-analysts-forecasts-but/93242
        "Apple's revenue fell for the third quarter in a row, to $81.8 billion.",
        "Apple's sales declined for a third consecutive quarter, dropping to $81.8bn.",
        "Apple's profit rose 2% to $19.9 billion in the quarter.",
    ),
    Topic(  # https://www.ocala.com/story/news/2003/02/17/arrests-made-at-war-protest/31273990007/
        "Police arrested 257 people at the anti-war protest in New York.",
        "More than 250 demonstrators were detained by New York police at the rally against "
        "the Iraq war.",
        "One million people joined the anti-war protest in Rome.",
    ),
    Topic(  # https://murdok.org/archive/microsoft-shares-fall-after-profit-increase
        "Microsoft's quarterly net profit rose 38% to $3.7 billion.",
        "Microsoft's profits were up 38 percent in the quarter, reaching $3.7bn.",
        "Microsoft's sales and marketing expenses rose 15% to $2.8 billion.",
    ),
    Topic(  # https://hamodia.com/2021/01/19/several-arrested-protest-near-city-hall/
        "Police arrested 28 people near New York's City Hall after a Martin Luther King Day march.",
        "Twenty-eight marchers were taken into custody near City Hall on Martin Luther King Day.",
        "Mayor Bill de Blasio defended the heavy police presence at City Hall.",
    ),
]

FRESH: list[Pair] = pairs(FRESH_TOPICS)

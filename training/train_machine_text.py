"""Train the machine-text sentence classifier (``models/machine_text_classifier.npz``).

    python -m training.train_machine_text [--data ../shared/data] [--out src/copydesk/models]

1. Writes a corpus of writing-machine meta-text from templates x slots, in *families* of phrasing
   (disclaimers about how the article was made, notes on missing information, refusals,
   apologies, offers of more help, knowledge-cutoff remarks, placeholders, echoed instructions,
   chat openers, closing notes on how far to trust the text, talk about the material given).
   The families in :data:`HELD_OUT` (at least one per kind) never reach training: they measure
   how the classifier carries to phrasings it never saw. Slot fillers are split the same way:
   the held-out families also draw fillers no training sentence holds.
2. Takes news sentences from the sources of the benchmarks (CNN, Daily Mail, BBC), by
   ``copydesk.datasplit``: train side to fit (80% of its articles) and to tune the threshold (20%),
   test side only to measure; plus newsroom hedges and notes ("declined to comment", "Editor's
   note: ...") written from templates, some families of which are held out as well.
3. Fits a logistic regression over :func:`copydesk.patterns.classifier.features`, sets the
   threshold on the tuning part (no tuning news sentence flagged, and at most 1 in 10,000 by the
   model's own margin), and measures on the held-out families and the test-side news.
4. Writes the model and its entry in ``MANIFEST.json`` (metrics included).

``benchmarks/machine_text_classifier.py`` measures the shipped file again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import re
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from copydesk.checkers.machine_text import sentence_bounds
from copydesk.datasplit import split_of
from copydesk.patterns.classifier import (
    DIMENSION,
    LOGIT_SCALE,
    MODEL_FILE,
    SentenceClassifier,
    features,
    mask_quotes,
)
from training.common import DEFAULT_DATA, DEFAULT_OUT, MANIFEST

SEED = 7
PER_FAMILY = 160
MAX_FP_PER_10K = 1.0

# --- slots ---------------------------------------------------------------------------------------
# Every list is split: the first 3/4 may appear in training, the rest only in held-out families.

SLOTS: dict[str, list[str]] = {
    "material": [
        "available search results",
        "provided sources",
        "search results",
        "sources provided",
        "information provided",
        "given context",
        "documents you shared",
        "articles provided",
        "provided materials",
        "source material",
        "reference texts",
        "provided excerpts",
        "supplied documents",
        "context you gave me",
        "retrieved articles",
        "provided notes",
        "web results",
        "materials supplied",
        "snippets provided",
        "background documents",
        "input text",
        "press materials you provided",
        "results I found",
        "browsing results",
        "links you sent",
        "passages given",
        "reference material",
        "sources I was given",
        "material I was given",
        "supplied notes",
        "retrieved passages",
        "content you pasted",
    ],
    "detail": [
        "the exact number of people injured",
        "the name of the new coach",
        "when the bridge will reopen",
        "the cost of the project",
        "the minister's response",
        "the specific Mexican counterpart he met",
        "the date of the hearing",
        "how much the company paid",
        "the reason for the delay",
        "who will replace him",
        "the final score",
        "the identity of the victim",
        "the size of the fine",
        "the location of the summit",
        "the outcome of the vote",
        "the age of the suspect",
        "the names of the other players",
        "the total amount raised",
        "the start date of the trial",
        "which hospital treated the injured",
        "the terms of the agreement",
        "the precise figure",
        "how many jobs will be cut",
        "the timeline for the project",
        "the full list of candidates",
        "the company's revenue last year",
        "what the senator said afterwards",
        "the exact venue",
        "the length of the sentence",
        "the price of the new model",
        "the current death toll",
        "the names of the officers involved",
    ],
    "topic": [
        "the election in Ohio",
        "the merger between the two banks",
        "the storm",
        "yesterday's match",
        "the budget vote",
        "the new stadium",
        "the court ruling",
        "the minister's visit to Paris",
        "the strike at the port",
        "the wildfire in California",
        "the company's earnings",
        "the transfer of the striker",
        "the peace talks",
        "the tariff dispute",
        "the school closures",
        "the train crash",
        "the festival",
        "the product launch",
        "the protest in the capital",
        "the council meeting",
        "the Champions League final",
        "the housing plan",
        "the interest rate decision",
        "the recall of the cars",
    ],
    "clause": [
        "the talks ended without an agreement",
        "the company's shares fell 4 percent",
        "the mayor has resigned",
        "Ms Alvarez was appointed finance minister",
        "the club won 2-1",
        "the bill passed the Senate",
        "the factory will close in June",
        "the suspect was released on bail",
        "prices rose for a third month",
        "the team has a new manager",
        "the road remains closed",
        "the deal is worth about $2 billion",
        "the storm has weakened",
        "the vote was postponed",
        "the hospital has reopened",
        "the minister is still in office",
        "the airline cancelled 40 flights",
        "the agreement covers steel and aluminium",
        "the strike will continue",
        "the project is on schedule",
    ],
    "action": [
        "make the article shorter",
        "add more quotes",
        "change the tone",
        "expand the section on the vote",
        "write a different headline",
        "translate it into Spanish",
        "adjust the length",
        "add a conclusion",
        "rewrite it in a more formal style",
        "include more background",
        "turn this into a press release",
        "add subheadings",
        "focus on the economic impact",
        "cut it to 300 words",
        "write a social media post about it",
        "add a timeline of events",
        "make it more engaging",
        "simplify the language",
        "draft a follow-up piece",
        "provide a summary in bullet points",
    ],
    "when": [
        "January 2022",
        "September 2021",
        "early 2023",
        "April 2024",
        "late 2022",
        "mid-2023",
        "October 2023",
        "2021",
        "December 2022",
        "March 2023",
        "the end of 2023",
        "June 2024",
    ],
    "slot": [
        "[Name]",
        "[insert date]",
        "[Company Name]",
        "[City]",
        "[Spokesperson Name]",
        "[X]",
        "[number]",
        "[insert quote here]",
        "{{location}}",
        "<DATE>",
        "[TBD]",
        "[Title]",
        "[Source]",
        "[insert figure]",
        "[Team Name]",
        "[Your Name]",
        "{player_name}",
        "[amount]",
        "<insert name>",
        "[Date TBC]",
        "[LOCATION]",
        "(name of official)",
        "[add statistic]",
        "{{company}}",
    ],
    "person": [
        "Maria Alvarez",
        "Tom Becker",
        "Aisha Khan",
        "Lars Olsen",
        "Chen Wei",
        "Sofia Rossi",
        "Mr Smith",
        "the minister",
        "the coach",
        "Dr Patel",
        "Senator Jones",
        "the chief executive",
        "Kwame Mensah",
        "Ines Duarte",
        "the spokeswoman",
        "Ana Lima",
    ],
    "org": [
        "the company",
        "the ministry",
        "the club",
        "police",
        "the White House",
        "the council",
        "the airline",
        "Google",
        "the Home Office",
        "the hospital",
        "the union",
        "the bank",
        "the Pentagon",
        "the school",
        "the FA",
        "Downing Street",
    ],
    "day": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "wh": [
        "how many people were hurt",
        "what caused the fire",
        "when the trial will start",
        "who will pay for the repairs",
        "how the talks will proceed",
        "why the plane turned back",
        "whether the player will be fit",
        "how much the deal is worth",
        "where the suspect is held",
        "whether charges will be filed",
        "when the road will reopen",
        "who fired the shots",
    ],
}

# --- families: kind -> family name -> templates ----------------------------------------------------

META: dict[str, dict[str, list[str]]] = {
    "made_by_machine": {
        "generated_note": [
            "This article was generated by an AI model based on the {material}.",
            "This story was written with the help of artificial intelligence and may contain errors.",
            "The article above was produced automatically from the {material}.",
            "This report was generated using a language model and the {material}.",
            "This news piece was created by an automated writing tool.",
        ],
        "compiled_from": [
            "This summary was compiled from the {material} and has not been independently verified.",
            "I put this article together from the {material} you provided.",
            "The story above draws only on the {material} and was assembled automatically.",
            "This piece is a synthesis of the {material}, written without additional reporting.",
        ],
        "drafted_by_me": [
            "I drafted this story using only the {material}.",
            "I wrote this article based on the {material}, without access to other reporting.",
            "I have written the piece from the {material} alone.",
            "In writing this article I relied entirely on the {material}.",
        ],
        "ai_self": [
            "As an AI, I cannot attend the press conference, but here is what the {material} say.",
            "Being an automated assistant, I have no way to confirm {detail}.",
            "I am a language model and cannot verify {detail}.",
            "Since I'm an AI system, I could not speak to anyone involved in {topic}.",
        ],
    },
    "trust_note": {
        "verify_advice": [
            "Readers should verify these details with official sources, as I could not confirm them.",
            "Please double-check the figures against the original {material} before publishing.",
            "You may want to confirm {detail} with {org} before this goes out.",
            "I recommend checking these facts independently before publication.",
            "Make sure to verify the quotes with the people quoted before running the story.",
        ],
        "reliability": [
            "I have done my best to stick to the facts in the {material}, "
            "but some details may be inaccurate.",
            "While I aimed for accuracy, parts of this article may not be fully reliable.",
            "Some of the information above may be incomplete or out of date, so treat it with caution.",
            "I tried to be accurate, but I may have misread some of the {material}.",
        ],
        "based_solely": [
            "Please note that this article is based solely on the {material} "
            "and may not reflect the latest developments.",
            "Note that the story relies only on the {material}, so later events are not included.",
            "Keep in mind that this piece reflects only what the {material} contain.",
            "Bear in mind that everything here comes from the {material} and nothing else.",
        ],
        "how_made_trust": [
            "I kept strictly to the {material}, so treat the numbers with care.",
            "Because I wrote this from the {material} alone, the article is only as reliable as they are.",
            "The accuracy of this article depends on the {material}, which I could not check.",
            "Since I only had the {material} to go on, some claims here may be wrong.",
        ],
    },
    "missing_info": {
        "not_detailed": [
            "{Detail} is not detailed in the {material}.",
            "{Detail} is not specified in the {material}.",
            "{Detail} is not mentioned in the {material}.",
            "{Detail} was not included in the {material}.",
        ],
        "materials_do_not": [
            "The {material} do not mention {detail}.",
            "The {material} don't say {wh}.",
            "The {material} do not provide {detail}.",
            "Neither of the {material} gives {detail}.",
        ],
        "no_info_in": [
            "There is no information in the {material} about {detail}.",
            "No details about {detail} were found in the {material}.",
            "I could not find any information about {detail} in the {material}.",
            "Information on {detail} is not available in the {material}.",
        ],
        "unclear_from": [
            "It is unclear from the {material} whether {clause}.",
            "Based on the {material}, it is not possible to say {wh}.",
            "The {material} leave it unclear {wh}.",
            "From the {material} alone, I cannot tell {wh}.",
        ],
        "spelled_out": [
            "{Detail} is not spelled out in the {material}.",
            "{Detail} isn't given anywhere in the {material}.",
            "The {material} are silent on {detail}.",
            "{Detail} does not appear in the {material}, so I have left it out.",
        ],
    },
    "refusal": {
        "cannot_write": [
            "I'm unable to write this article because the {material} contain no information about {topic}.",
            "I cannot write a news story about {topic} without more information.",
            "I can't produce an article on {topic} from the {material}, as they are unrelated.",
            "I am not able to write the requested article with the {material}.",
        ],
        "not_enough": [
            "Unfortunately, there isn't enough information in the {material} "
            "to write a news article about {topic}.",
            "There is not enough material here for me to write a full story on {topic}.",
            "The {material} are too thin for me to write a reliable article about {topic}.",
            "Sadly, I don't have enough to go on to write about {topic}.",
        ],
        "wont": [
            "I won't be able to write this story without verified sources.",
            "I must decline to write an article that could spread misinformation about {topic}.",
            "I'd rather not write this piece, since the {material} could be misleading.",
            "I cannot complete this task as requested.",
        ],
        "no_access": [
            "I don't have access to real-time news, so I can't report on {topic}.",
            "I cannot browse the internet to check {detail}.",
            "I have no way to look up {detail} online.",
            "Without internet access I can't confirm {detail}.",
        ],
    },
    "apology": {
        "sorry_confusion": [
            "I apologize for any confusion in my previous response.",
            "Sorry for the confusion earlier about {detail}.",
            "Apologies for the mix-up in the first version of the article.",
            "I'm sorry for the error in my earlier draft.",
        ],
        "sorry_cannot": [
            "Sorry, but I can't find details about {detail}.",
            "I'm sorry, but the {material} don't include {detail}.",
            "Unfortunately, I'm sorry to say I couldn't locate {detail}.",
            "I'm afraid I couldn't find {detail} in the {material}.",
        ],
        "my_mistake": [
            "My apologies, I got {detail} wrong earlier.",
            "You're right, I made a mistake about {detail}.",
            "Thank you for pointing that out; I have corrected {detail}.",
            "Good catch, I mixed up {detail} in the previous version.",
        ],
    },
    "offer_help": {
        "let_me_know": [
            "Let me know if you'd like me to {action}.",
            "Let me know if you need me to {action}.",
            "Just let me know if you want me to {action}.",
            "Let me know if there's anything else you'd like changed.",
        ],
        "happy_to": [
            "I'd be happy to {action} if you need.",
            "I'm happy to {action} as well.",
            "I would be glad to {action}.",
            "Happy to help further if you need anything else.",
        ],
        "would_you_like": [
            "Would you like me to {action}?",
            "Do you want me to {action}?",
            "Shall I {action}?",
            "Should I {action} next?",
        ],
        "feel_free": [
            "Feel free to ask if you need any changes.",
            "Don't hesitate to reach out if you want me to {action}.",
            "If you have any other questions, feel free to ask.",
            "Feel free to tell me if the tone needs adjusting.",
        ],
        "hope_helps": [
            "I hope this article meets your needs.",
            "Hopefully this draft is what you were looking for.",
            "I hope this helps with your story on {topic}.",
            "I trust this version works better for you.",
        ],
    },
    "knowledge_cutoff": {
        "as_of_update": [
            "As of my last update in {when}, {clause}.",
            "As of my last knowledge update, {clause}.",
            "At the time of my last training update, {clause}.",
            "As of my most recent information from {when}, {clause}.",
        ],
        "training_data": [
            "My training data only extends to {when}, so {clause} may no longer be true.",
            "According to my training data, {clause}.",
            "My knowledge only goes up to {when}.",
            "I was trained on data up to {when}, so more recent events are missing.",
        ],
        "may_have_changed": [
            "Things may have changed since my knowledge cutoff.",
            "There may have been developments since {when} that I am not aware of.",
            "This information may be outdated, as my knowledge stops in {when}.",
            "I'm not aware of anything that happened after {when}.",
        ],
    },
    "placeholder": {
        "bracket_slots": [
            "The announcement was made by {slot} on {slot}.",
            "{Person} said the project would cost {slot}.",
            "The match will be played in {slot} on {slot}.",
            "{slot}, a spokesperson for {org}, confirmed the news.",
        ],
        "insert_here": [
            "The event drew {slot} visitors, organisers said.",
            "Contact {slot} for more information.",
            "The deal was signed in {slot}.",
            "Quote from {slot} goes here.",
        ],
        "todo_notes": [
            "TODO: add a quote from {person}.",
            "(Add details about {detail} here.)",
            "[Insert background on {topic}.]",
            "TK: confirm {detail}.",
        ],
    },
    "echoed_instruction": {
        "write_request": [
            "Write a 500-word news article about {topic} in AP style.",
            "Write a news story about {topic} using the sources below.",
            "Please write an article summarising {topic} for a general audience.",
            "Compose a short news report on {topic}.",
        ],
        "rules": [
            "Use only the information from the sources below.",
            "Do not include any opinions or speculation.",
            "Make sure to cite the sources in the article.",
            "Keep the article under 400 words and avoid jargon.",
            "Do not mention that you are an AI.",
        ],
        "style_spec": [
            "Tone: neutral and informative.",
            "Target audience: general readers.",
            "Length: about 300 words.",
            "Format: inverted pyramid, with a headline and a lede.",
        ],
        "task_echo": [
            "Your task is to write a news article about {topic}.",
            "The user wants a concise article about {topic} with quotes.",
            "You are a journalist writing for a national newspaper.",
            "Instructions: summarise the {material} as a news story about {topic}.",
        ],
    },
    "chat_opener": {
        "sure_here": [
            "Sure! Here's a news article about {topic}:",
            "Certainly, here is the story you requested.",
            "Of course! Below is a draft article on {topic}.",
            "Absolutely, here's the article based on the {material}.",
        ],
        "okay_draft": [
            "Okay, here's a draft based on the {material}.",
            "Alright, here is a revised version with the changes you asked for.",
            "Here is a rewritten version of the article.",
            "Below is the updated article with a new headline.",
        ],
        "great_question": [
            "Great question!",
            "Thanks for the detailed request!",
            "What a great topic to cover!",
            "Thank you for providing the {material}.",
        ],
        "here_is_summary": [
            "Here is a concise news summary of {topic}:",
            "Here's what the {material} say about {topic}:",
            "Below you'll find a balanced article on {topic}.",
            "I've written the article below, following your instructions.",
        ],
    },
    "source_talk": {
        "according_provided": [
            "According to the {material}, {clause}.",
            "Based on the {material}, {clause}.",
            "The {material} indicate that {clause}.",
            "Per the {material}, {clause}.",
        ],
        "numbered_sources": [
            "Source 2 states that {clause}.",
            "The first search result says {clause}.",
            "As the third article notes, {clause}.",
            "Document 1 reports that {clause}, while document 3 disagrees.",
        ],
        "conflicting": [
            "The {material} give conflicting accounts of {detail}.",
            "The {material} disagree on {detail}, so I used the more recent figure.",
            "One of the {material} contradicts the others on {detail}.",
            "I chose the figure from the latest of the {material}.",
        ],
        "word_count": [
            "(Word count: 450)",
            "This article is approximately 400 words long.",
            "Note: the article above is a fictional scenario.",
            "Word count: about 350 words.",
        ],
    },
}

# More training families, written after a first measurement showed the corpus too narrow; the
# held-out families above were fixed before, and none of these restates one of them.
META_MORE: dict[str, dict[str, list[str]]] = {
    "made_by_machine": {
        "automated_label": [
            "This content was automatically generated.",
            "Generated with the assistance of AI tools.",
            "AI-generated content: please review before publishing.",
            "The following text has been produced by a machine learning system.",
            "This draft was created by an AI writing assistant.",
        ],
        "process_description": [
            "To write this story, I summarised the key points of the {material}.",
            "I combined information from the {material} into a single article.",
            "I have restructured the {material} into a news format.",
            "The article condenses the {material} into about 400 words.",
            "I paraphrased the {material} to avoid copying them word for word.",
            "I have left out details that the {material} did not support.",
        ],
    },
    "trust_note": {
        "caveat_accuracy": [
            "This article may contain inaccuracies.",
            "Some details in this report could not be checked against other sources.",
            "The information presented here has not been fact-checked.",
            "Accuracy cannot be guaranteed, as the story was generated from limited inputs.",
            "Any errors in the figures come from the {material}.",
            "The quotes above are taken from the {material} and may be paraphrased.",
        ],
        "disclaimer_end": [
            "Disclaimer: this article is for informational purposes only.",
            "Disclaimer: the details above are drawn from the {material} and may change.",
            "This is not an official statement from {org}.",
            "The content above should not be treated as professional advice.",
        ],
    },
    "missing_info": {
        "lacks": [
            "The {material} lack specifics about {detail}.",
            "The {material} contain only limited information about {topic}.",
            "Details on {detail} are sparse in the {material}.",
            "Only limited information on {topic} was available to me.",
        ],
        "not_provided": [
            "No figure for {detail} was given in the {material}.",
            "The {material} offer no details on {detail}.",
            "Nothing in the {material} indicates {wh}.",
            "{Detail} was not provided in the {material}.",
        ],
        "could_not_determine": [
            "I was unable to determine {detail} from the {material}.",
            "I couldn't confirm {detail} from what was provided.",
            "I wasn't able to establish {wh}.",
            "I have no way of knowing {detail} from the {material}.",
        ],
        "omitted_because": [
            "I have omitted {detail} because the {material} do not include it.",
            "{Detail} has been left out, as no source provides it.",
            "I did not include {detail}, since it was missing from the {material}.",
            "Because the {material} lack {detail}, that part of the story is incomplete.",
        ],
        "would_need": [
            "To report {detail}, I would need additional sources.",
            "More information would be needed to say {wh}.",
            "Further details about {detail} would be required to complete the story.",
            "An official source would be needed to confirm {detail}.",
        ],
    },
    "refusal": {
        "policy": [
            "I can't help create content that could mislead readers about {topic}.",
            "Writing this story would go against my guidelines.",
            "I'm not comfortable writing an article that presents rumours about {topic} as fact.",
            "This request asks me to invent facts, which I cannot do.",
        ],
        "instead_offer": [
            "Instead of a full article, I can offer a brief summary of the {material}.",
            "Rather than writing the story, here is what can be said with confidence.",
            "I can't write the full story, but I can outline the key points.",
            "What I can do is list the facts the {material} support.",
        ],
    },
    "apology": {
        "acknowledge_feedback": [
            "Thanks for the feedback; I've updated the article.",
            "I appreciate the correction and have revised the story accordingly.",
            "Noted, I have changed the headline as you suggested.",
            "Understood, I have removed the paragraph about {topic}.",
        ],
        "inconvenience": [
            "I apologize for the inconvenience.",
            "Sorry about that!",
            "I'm sorry I couldn't be more helpful with {topic}.",
            "Please accept my apologies for the incomplete article.",
            "I regret that I can't give more detail on {detail}.",
        ],
    },
    "offer_help": {
        "next_steps": [
            "If you need further edits, just ask.",
            "I can revise the article once you have more details.",
            "Send me the missing figures and I will update the story.",
            "Once you confirm {detail}, I can finalise the piece.",
        ],
        "can_also": [
            "I can also {action} if that would be useful.",
            "If you'd prefer, I can {action}.",
            "I could {action}, too.",
            "Alternatively, I can {action}.",
        ],
        "anything_else": [
            "Is there anything else you'd like me to add?",
            "Anything else I can help you with?",
            "Tell me what you'd like to adjust.",
            "What would you like me to do next?",
        ],
    },
    "knowledge_cutoff": {
        "training_limits": [
            "My training only covers information up to a certain date.",
            "Because of my training cutoff, recent results are not included.",
            "I may not know about the most recent developments in {topic}.",
            "Recent events may not be reflected in what I know.",
        ],
        "beyond_knowledge": [
            "I don't have data on events after {when}.",
            "Developments after {when} fall outside what I know.",
            "My knowledge does not extend past {when}.",
            "I cannot speak to events later than {when}.",
        ],
        "check_latest": [
            "For the latest updates, please check a reliable news source.",
            "I recommend checking recent news for the current situation.",
            "Please consult up-to-date sources for the latest figures.",
            "You may want to look at more recent reports on {topic}.",
        ],
    },
    "placeholder": {
        "template_lines": [
            "Dateline: {slot}",
            "By {slot}",
            "Photo: {slot}",
            "{slot} contributed to this report.",
        ],
        "caps_slots": [
            "The vote is scheduled for {slot}.",
            "Tickets cost {slot} each.",
            "{Org} said {slot} people had been evacuated.",
            "Shares closed at {slot} on {slot}.",
            "The company reported revenue of $XX million.",
        ],
    },
    "echoed_instruction": {
        "prompt_fragments": [
            "Include at least two quotes from officials.",
            "Write in the third person.",
            "The article should be suitable for publication on a news website.",
            "Begin with a strong lede that summarises the story.",
            "Use British spelling throughout.",
        ],
        "role_prompt": [
            "Act as a senior reporter covering {topic}.",
            "Pretend you are writing for a local newspaper.",
            "Imagine you are a correspondent in the capital.",
            "As a news writer, summarise the key facts.",
        ],
    },
    "chat_opener": {
        "understood": [
            "Understood! I'll write the article now.",
            "Got it, here's the piece.",
            "No problem, here is a version focusing on {topic}.",
            "Sure thing! Here's your article.",
        ],
        "as_requested": [
            "As requested, here is a 300-word story on {topic}.",
            "Per your request, the article below covers {topic}.",
            "Following your instructions, I have written a story on {topic}.",
            "Here's the news article you asked for on {topic}.",
        ],
    },
    "source_talk": {
        "material_overview": [
            "The {material} focus mainly on {topic}.",
            "Most of the {material} are about {topic}.",
            "The {material} cover {topic} in some detail.",
            "The {material} were published before {clause}.",
        ],
        "source_mentions": [
            "The second source adds that {clause}.",
            "Another article in the {material} reports that {clause}.",
            "One of the {material} claims that {clause}.",
            "Both of the {material} agree that {clause}.",
            "The {material} also suggest that {clause}.",
        ],
        "citations": [
            "{Clause} (Source: search result 3).",
            "{Clause}, as noted in source 4.",
            "{Clause} (see document 2).",
            "{Clause}, per the second search result.",
        ],
    },
}
for _kind, _families in META_MORE.items():
    META[_kind].update(_families)

# Newsroom prose that resembles meta-text and must stay unflagged.
HEDGES: dict[str, list[str]] = {
    "declined": [
        "{Person} declined to comment.",
        "{Org} declined to comment on {detail}.",
        "A spokesman for {org} declined to comment further.",
        "{Person} declined to say {wh}.",
    ],
    "not_reached": [
        "{Person} could not be reached for comment on {day}.",
        "{Org} could not immediately be reached for comment.",
        "Representatives for {person} could not be reached.",
        "Attempts to reach {person} were unsuccessful.",
    ],
    "no_response": [
        "{Org} did not immediately respond to a request for comment.",
        "{Org} did not respond to requests for comment on {day}.",
        "{Person} has not responded to our request for comment.",
        "The BBC has contacted {org} for comment.",
    ],
    "not_disclosed": [
        "Details of the deal were not disclosed.",
        "The terms of the agreement were not made public.",
        "{Org} did not disclose {detail}.",
        "Financial details were not released.",
    ],
    "not_clear": [
        "It is not clear whether {clause}.",
        "It was not immediately clear {wh}.",
        "It is unclear {wh}.",
        "It remains unclear whether {clause}.",
    ],
    "not_said": [
        "Officials did not say {wh}.",
        "{Org} has not said whether {clause}.",
        "Police have not released {detail}.",
        "No further details were available.",
    ],
    "unverified": [
        "The figures could not be independently verified.",
        "Reuters could not independently confirm the report.",
        "CNN has not been able to verify the video.",
        "The claims could not be verified by the BBC.",
    ],
    "newsroom_notes": [
        "Editor's note: This story has been updated to include a response from {org}.",
        "This article was amended on {day} to correct {detail}.",
        "Additional reporting by {person}.",
        "A previous version of this story misstated {detail}.",
    ],
    "investigation": [
        "The cause of the fire is under investigation.",
        "{Org} said it was investigating {detail}.",
        "An inquiry into {topic} is expected to report next year.",
        "{Person} said more information would be released in due course.",
    ],
    "attribution": [
        "According to court documents, {clause}.",
        "According to a statement from {org}, {clause}.",
        "The documents, seen by the BBC, show that {clause}.",
        "Sources told CNN that {clause}.",
        "Local media reported that {clause}.",
    ],
    "first_person_news": [
        "I have covered {topic} for ten years, and I have never seen anything like it.",
        "When I asked {person} about {detail}, {person} laughed.",
        "I spent a week in the town after {topic}.",
        "I was at the stadium when the news broke.",
    ],
}

HEDGE_KINDS = {"hedges": HEDGES}

HELD_OUT: dict[str, tuple[str, ...]] = {
    "made_by_machine": ("drafted_by_me",),
    "trust_note": ("how_made_trust",),
    "missing_info": ("spelled_out", "unclear_from"),
    "refusal": ("not_enough",),
    "apology": ("my_mistake",),
    "offer_help": ("would_you_like",),
    "knowledge_cutoff": ("may_have_changed",),
    "placeholder": ("insert_here",),
    "echoed_instruction": ("task_echo",),
    "chat_opener": ("okay_draft",),
    "source_talk": ("conflicting",),
    "hedges": ("unverified", "not_clear", "first_person_news"),
}


# --- generating ------------------------------------------------------------------------------------


def _fillers(held_out: bool) -> dict[str, list[str]]:
    return {
        name: values if held_out else values[: max(1, len(values) * 3 // 4)] for name, values in SLOTS.items()
    }


def fill(template: str, rng: random.Random, fillers: dict[str, list[str]]) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        value = rng.choice(fillers[name.lower()])
        return value[0].upper() + value[1:] if name[0].isupper() else value

    return (
        re.sub(r"\{(\w+)\}(?!\})", one, template.replace("{{", "\x00").replace("}}", "\x01"))
        .replace("\x00", "{{")
        .replace("\x01", "}}")
    )


_LEADS = ["However, ", "Unfortunately, ", "Please note: ", "Note: ", "In addition, ", "Also, ", ""]
_NEWS_LEAD = [
    "The talks ended on Friday. ",
    "Officials met in the capital on Monday, ",
    "The club confirmed the signing, ",
]


def vary(sentence: str, rng: random.Random, leads: bool = True) -> str:
    """Surface variety: a lead-in word, curly apostrophes, contractions, lost final punctuation."""
    roll = rng.random() if leads else 1.0
    if roll < 0.15:
        sentence = rng.choice(_LEADS) + sentence[0].lower() + sentence[1:] if sentence[0] != "[" else sentence
    elif roll < 0.2:
        lead = rng.choice(_NEWS_LEAD)
        sentence = lead + (sentence[0].lower() + sentence[1:] if lead.endswith(", ") else sentence)
    if rng.random() < 0.2:
        sentence = sentence.replace("'", "’")
    if rng.random() < 0.15:
        sentence = sentence.replace("do not", "don't").replace("cannot", "can't").replace("is not", "isn't")
    if rng.random() < 0.1:
        sentence = sentence.rstrip(".")
    return sentence


def generate(
    families: dict[str, dict[str, list[str]]], held_out: bool, per_family: int, seed: int
) -> Iterator[tuple[str, str, str]]:
    """(kind, family, sentence) for the held-out families (or the others), ``per_family`` each."""
    for kind, by_family in families.items():
        chosen = HELD_OUT.get(kind, ())
        for family, templates in by_family.items():
            if (family in chosen) != held_out:
                continue
            rng = random.Random(f"{seed}/{kind}/{family}")
            fillers = _fillers(held_out)
            seen: set[str] = set()
            for _ in range(per_family * 4):
                sentence = vary(
                    fill(rng.choice(templates), rng, fillers), rng, leads=families is not HEDGE_KINDS
                )
                if sentence not in seen:
                    seen.add(sentence)
                    yield kind, family, sentence
                if len(seen) >= per_family:
                    break


def meta_text(held_out: bool, per_family: int = PER_FAMILY, seed: int = SEED) -> list[tuple[str, str, str]]:
    return list(generate(META, held_out, per_family, seed))


def hedges(held_out: bool, per_family: int = 60, seed: int = SEED) -> list[tuple[str, str, str]]:
    return list(generate(HEDGE_KINDS, held_out, per_family, seed))


def news_sentences(data: Path) -> dict[str, list[str]]:
    """Sentences of the benchmark sources: ``train_fit``, ``train_tune`` and ``test``."""
    articles: set[str] = set()
    for path in sorted((data / "benchmarks").glob("*.jsonl")):
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                articles.add(json.loads(line)["source"])
    out: dict[str, list[str]] = {"train_fit": [], "train_tune": [], "test": []}
    seen: set[str] = set()
    for article in sorted(articles):
        side = split_of(article)
        if side == "train":
            digest = hashlib.blake2b(article.encode(), digest_size=4).digest()
            side = "train_tune" if int.from_bytes(digest, "big") % 5 == 0 else "train_fit"
        for start, end in sentence_bounds(article):
            sentence = article[start:end]
            if len(sentence) >= 15 and sentence not in seen:
                seen.add(sentence)
                out[side].append(sentence)
    return out


# --- fitting ---------------------------------------------------------------------------------------


def matrix(sentences: list[str]):  # -> scipy.sparse.csr_matrix
    from scipy.sparse import csr_matrix

    indices, indptr, values = [], [0], []
    for sentence in sentences:
        index = features(sentence)
        indices.append(index)
        values.append(np.full(len(index), 1.0 / np.sqrt(max(len(index), 1)), dtype=np.float32))
        indptr.append(indptr[-1] + len(index))
    return csr_matrix(
        (np.concatenate(values), np.concatenate(indices), np.array(indptr)), shape=(len(sentences), DIMENSION)
    )


def fit_ngrams(positives: list[str], negatives: list[str], c: float) -> tuple[np.ndarray, float]:
    """The first step: weights over the hashed features, and the bias."""
    from sklearn.linear_model import LogisticRegression

    x = matrix(positives + negatives)
    y = np.array([1] * len(positives) + [0] * len(negatives))
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000, solver="liblinear")
    model.fit(x, y)
    return model.coef_[0].astype(np.float16).astype(np.float32), float(model.intercept_[0])


def ngram_logits(weights: np.ndarray, bias: float, sentences: list[str]) -> np.ndarray:
    empty = np.zeros(1, np.float32)
    return SentenceClassifier(weights, bias, 0.0, empty, empty, empty, 0.0, 1.0).ngram_logits(sentences)


def out_of_fold(positives: list[str], negatives: list[str], c: float) -> tuple[np.ndarray, np.ndarray]:
    """First-step logits of every training sentence from a model that did not see it (2 folds), so
    the head learns on the scores unseen sentences get."""
    pos, neg = np.zeros(len(positives), np.float32), np.zeros(len(negatives), np.float32)
    for fold in (0, 1):
        weights, bias = fit_ngrams(positives[1 - fold :: 2], negatives[1 - fold :: 2], c)
        pos[fold::2] = ngram_logits(weights, bias, positives[fold::2])
        neg[fold::2] = ngram_logits(weights, bias, negatives[fold::2])
    return pos, neg


class Embeddings:
    """Sentence vectors by the shipped encoder, cached on disk between runs."""

    def __init__(self, cache: Path | None, threads: int | None) -> None:
        self.cache = cache
        self.threads = threads
        self.vectors: dict[str, np.ndarray] = {}
        if cache and cache.exists():
            with np.load(cache, allow_pickle=False) as data:
                self.vectors = dict(zip(data["texts"].tolist(), data["vectors"], strict=True))

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self.vectors))
        if missing:
            from copydesk.inference import load_encoder

            encoder = load_encoder(self.threads)
            for start in range(0, len(missing), 256):
                chunk = missing[start : start + 256]
                self.vectors.update(zip(chunk, encoder.encode(chunk, batch_size), strict=True))
            self.save()
        if not texts:
            return np.zeros((0, 384), np.float32)
        return np.stack([self.vectors[t] for t in texts])

    def save(self) -> None:
        if self.cache:
            texts = list(self.vectors)
            np.savez(self.cache, texts=np.array(texts), vectors=np.stack([self.vectors[t] for t in texts]))


def fit_head(vectors: np.ndarray, logits: np.ndarray, labels: np.ndarray, hidden: int, alpha: float) -> dict:
    """The second step: one hidden ReLU layer over the embedding and the first step's logit."""
    from sklearn.neural_network import MLPClassifier

    inputs = np.hstack([vectors, logits.reshape(-1, 1) / LOGIT_SCALE])
    model = MLPClassifier((hidden,), alpha=alpha, max_iter=300, random_state=SEED)
    model.fit(inputs, labels)
    return {
        "hidden_weights": model.coefs_[0].astype(np.float16).astype(np.float32),
        "hidden_bias": model.intercepts_[0].astype(np.float32),
        "head_weights": model.coefs_[1][:, 0].astype(np.float32),
        "head_bias": float(model.intercepts_[1][0]),
    }


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))


def pick_threshold(news_scores: np.ndarray) -> float:
    """The lowest threshold that flags at most MAX_FP_PER_10K of these news scores, at least 0.5."""
    allowed = int(len(news_scores) * MAX_FP_PER_10K / 10_000)
    ordered = np.sort(news_scores)[::-1]
    threshold = float(ordered[allowed]) + 1e-4 if len(ordered) > allowed else 0.5
    return max(threshold, 0.5)


_HEDGE_WORDS = re.compile(
    r"declined to comment|could not be reached|did not immediately respond|not disclosed|"
    r"it is not clear whether|it is unclear|could not (?:be )?independently (?:verif|confirm)",
    re.IGNORECASE,
)


def measure(classifier: SentenceClassifier, encoder, held_meta, held_hedges, test_news: list[str]) -> dict:
    """Recall on the held-out families; false hits on test-side news and held-out hedges."""
    flagged_meta = classifier.flags([s for _, _, s in held_meta], encoder)
    by_kind: dict[str, list[bool]] = {}
    by_family: dict[str, list[bool]] = {}
    for (kind, family, _), hit in zip(held_meta, flagged_meta, strict=True):
        by_kind.setdefault(kind, []).append(bool(hit))
        by_family.setdefault(f"{kind}/{family}", []).append(bool(hit))
    news_scores = classifier.score(test_news, encoder)
    news_hits = [
        (round(float(s), 3), t)
        for s, t in zip(news_scores, test_news, strict=True)
        if s >= classifier.threshold
    ]
    passed = int((1 / (1 + np.exp(-classifier.ngram_logits(test_news))) >= classifier.gate).sum())
    hedge_flags = classifier.flags([s for _, _, s in held_hedges], encoder)
    real_hedges = [s for s in test_news if _HEDGE_WORDS.search(s)]
    return {
        "held_out_families": sorted(by_family),
        "held_out_sentences": len(held_meta),
        "held_out_recall": round(float(np.mean(flagged_meta)), 4),
        "held_out_recall_by_kind": {k: round(float(np.mean(v)), 4) for k, v in sorted(by_kind.items())},
        "held_out_recall_by_family": {k: round(float(np.mean(v)), 4) for k, v in sorted(by_family.items())},
        "test_news_sentences": len(test_news),
        "test_news_encoded": passed,
        "test_news_false_hits": len(news_hits),
        "false_hits_per_10k_news": round(10_000 * len(news_hits) / max(len(test_news), 1), 3),
        "false_hit_examples": news_hits[:20],
        "held_out_hedge_sentences": len(held_hedges),
        "held_out_hedges_flagged": int(hedge_flags.sum()),
        "held_out_hedges_flagged_examples": [
            s for (_, _, s), f in zip(held_hedges, hedge_flags, strict=True) if f
        ][:10],
        "real_hedge_sentences_in_test_news": len(real_hedges),
        "real_hedges_flagged": int(classifier.flags(real_hedges, encoder).sum()) if real_hedges else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--c-ngrams", type=float, default=2.0, help="inverse L2 strength, first step")
    parser.add_argument("--hidden", type=int, default=64, help="hidden units of the second step")
    parser.add_argument("--alpha", type=float, default=1e-3, help="L2 strength of the second step")
    parser.add_argument(
        "--train-gate",
        type=float,
        default=0.1,
        help="first-step probability for a news sentence to train the head",
    )
    parser.add_argument(
        "--gate", type=float, default=0.3, help="first-step probability to reach the head at run time"
    )
    parser.add_argument("--cache", type=Path, default=Path("/tmp/copydesk_machine_text_vectors.npz"))
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--dry-run", action="store_true", help="measure only; write nothing")
    args = parser.parse_args()
    started = time.time()

    news = news_sentences(args.data)
    train_meta, held_meta = meta_text(False), meta_text(True)
    train_hedges, held_hedges = hedges(False), hedges(True)
    rng = random.Random(SEED)
    rng.shuffle(train_meta)
    cut = len(train_meta) * 4 // 5
    fit_meta, tune_meta = train_meta[:cut], train_meta[cut:]
    print(
        f"news sentences: {', '.join(f'{k} {len(v)}' for k, v in news.items())}; "
        f"meta-text: fit {len(fit_meta)}, "
        f"tune {len(tune_meta)}, held-out {len(held_meta)}; hedges: train {len(train_hedges)}, "
        f"held-out {len(held_hedges)}",
        flush=True,
    )
    positives = [s for _, _, s in fit_meta]
    negatives = [s for _, _, s in train_hedges] + news["train_fit"]
    weights, bias = fit_ngrams(positives, negatives, args.c_ngrams)
    pos_logits, neg_logits = out_of_fold(positives, negatives, args.c_ngrams)

    # The head learns on what reaches it: the negatives past the gate (plus every hedge and a
    # sample of the rest, so that it holds up when the gate lets something odd through).
    # The head learns on more news than reaches it at run time (past 0.1, against 0.3): measured on
    # the held-out families, the higher run-time gate loses 0.002 of recall and a sixth of the cost.
    gate_logit = float(np.log(args.train_gate / (1 - args.train_gate)))
    run_gate_logit = float(np.log(args.gate / (1 - args.gate)))
    keep = [
        i for i, z in enumerate(neg_logits) if z >= gate_logit or i < len(train_hedges) or rng.random() < 0.1
    ]
    head_texts = positives + [negatives[i] for i in keep]
    head_logits = np.concatenate([pos_logits, neg_logits[keep]])
    labels = np.array([1] * len(positives) + [0] * len(keep))
    embeddings = Embeddings(args.cache, args.threads)
    print(f"head: {len(positives)} meta-text, {len(keep)} news and hedges; encoding ...", flush=True)
    head_vectors = embeddings.encode([mask_quotes(t) for t in head_texts])
    head = fit_head(head_vectors, head_logits, labels, args.hidden, args.alpha)

    # The threshold: at most MAX_FP_PER_10K of all train-side news, the tuning part scored by the
    # model and the fitting part scored out of fold (heads fitted on the other half of the examples).
    tuning = SentenceClassifier(weights, bias, args.gate, threshold=0.5, **head)
    order = np.arange(len(head_texts))
    past_gate = (labels == 0) & (head_logits >= run_gate_logit)
    pool = [
        tuning.score(news["train_tune"], embeddings),
        np.zeros(len(negatives) - int(past_gate.sum()), np.float32),  # stopped by the first step
    ]
    for fold in (0, 1):
        train = order % 2 != fold
        half = fit_head(head_vectors[train], head_logits[train], labels[train], args.hidden, args.alpha)
        other = ~train & past_gate
        held = SentenceClassifier(weights, bias, args.gate, threshold=0.5, **half)
        pool.append(_sigmoid(held.head_logits(head_vectors[other], head_logits[other])))
    threshold = pick_threshold(np.concatenate(pool))
    classifier = SentenceClassifier(weights, bias, args.gate, threshold=threshold, **head)
    tune_recall = float(np.mean(classifier.flags([s for _, _, s in tune_meta], embeddings)))
    tune_fp = int(classifier.flags(news["train_tune"], embeddings).sum())
    print(f"threshold {threshold:.4f}; tuning: recall {tune_recall:.4f}, news flagged {tune_fp}", flush=True)
    result = measure(classifier, embeddings, held_meta, held_hedges, news["test"])
    print(json.dumps({k: v for k, v in result.items() if k != "held_out_families"}, indent=1), flush=True)
    if args.dry_run:
        return

    path = args.out / MODEL_FILE
    classifier.save(path)
    manifest_path = args.out / MANIFEST
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    manifest["machine_text_classifier"] = {
        "model": "two steps: logistic regression over hashed word 1-3-grams and character 3-5-grams; "
        "for sentences past its gate, one hidden layer over the embedder's sentence vector and that score",
        "file": MODEL_FILE,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "bytes": path.stat().st_size,
        "dimension": DIMENSION,
        "gate": args.gate,
        "train_gate": args.train_gate,
        "threshold": round(threshold, 4),
        "data": {
            "meta_text_fit": len(fit_meta),
            "meta_text_tune": len(tune_meta),
            "meta_text_kinds": dict(Counter(k for k, _, _ in train_meta)),
            "news_fit": len(news["train_fit"]),
            "news_tune": len(news["train_tune"]),
            "hedges_fit": len(train_hedges),
            "head_examples": len(head_texts),
            "news_source": "sentences of the benchmark sources, copydesk.datasplit train side",
        },
        "tuning": {"recall": round(tune_recall, 4), "news_flagged": tune_fp},
        "test": {k: v for k, v in result.items() if k != "false_hit_examples"},
        "config": {
            "c_ngrams": args.c_ngrams,
            "hidden": args.hidden,
            "alpha": args.alpha,
            "seed": SEED,
            "per_family": PER_FAMILY,
            "max_fp_per_10k": MAX_FP_PER_10K,
        },
        "command": "python -m training.train_machine_text",
        "minutes": round((time.time() - started) / 60, 2),
        "updated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"wrote {path} ({path.stat().st_size} bytes) and its entry in {manifest_path}")


if __name__ == "__main__":
    main()

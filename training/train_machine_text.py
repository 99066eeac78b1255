"""Train the machine-text sentence classifier (``models/machine_text_classifier.npz``).

    python -m training.train_machine_text [--data ../shared/data] [--out src/copydesk/models]

1. Writes a corpus of writing-machine meta-text from templates x slots (and a grammar of
   templates with branches, ``<a|b|c>``), in *families* of phrasing
   (disclaimers about how the article was made, notes on missing information, refusals,
   apologies, offers of more help, knowledge-cutoff remarks, placeholders, echoed instructions,
   chat openers, closing notes on how far to trust the text, talk about the material given).
   The families in :data:`HELD_OUT` (at least one per kind) never reach training: they measure
   how the classifier carries to phrasings it never saw. Slot fillers are split the same way:
   the held-out families also draw fillers no training sentence holds, and no training sentence
   shares four words in a row with a held-out template (``protected_grams``).
2. Takes news sentences from the sources of the benchmarks (CNN, Daily Mail, BBC), by
   ``copydesk.datasplit``: train side to fit (80% of its articles) and to tune the threshold (20%),
   test side only to measure; plus newsroom hedges and notes ("declined to comment", "Editor's
   note: ...") written from templates, some families of which are held out as well.
3. Fits a logistic regression over :func:`copydesk.patterns.classifier.features`, then for the
   sentences past its gate a small network over the encoder's embedding, that score and
   :func:`copydesk.patterns.classifier.shape`; sets the threshold (a logit) so that at most 1 in
   10,000 train-side news sentences is flagged (the tuning part scored by the model, the fitting
   part out of fold), and measures on the held-out families and the test-side news.
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
    shape,
)
from copydesk.patterns.prefilter import APOSTROPHES
from training.common import DEFAULT_DATA, DEFAULT_OUT, MANIFEST

SEED = 7
PER_FAMILY = 160
GRAMMAR_SCALE = 2  # grammar families ("g_...") yield this many times PER_FAMILY
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


def _add_families(families: dict[str, dict[str, list[str]]]) -> dict[str, tuple[str, ...]]:
    """Add families of templates to META, kind by kind; return their names by kind (how the
    held-out sets are named)."""
    for kind, by_name in families.items():
        META[kind].update(by_name)
    return {kind: tuple(by_name) for kind, by_name in families.items()}


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
_add_families(META_MORE)

# --- a grammar of meta-text: many phrasings per family ---------------------------------------------
# Written after the first two measurements to widen the corpus. "<a|b|c>" picks one branch (nested
# ones too, innermost first); "{slot}" takes a filler as above. Every generated training sentence
# that shares a run of four words with a held-out template (or with the unseen sentences of
# tests/test_machine_text_classifier.py) is dropped (see ``protected_grams``), so the held-out
# families stay held out by construction, not by intent alone.

_ART = "<article|story|piece|report|news story|write-up|summary|draft|text|news item|copy>"
_THIS = "<this|the above|the following|the present|this news|the preceding> " + _ART
_MADE = "<written|generated|produced|drafted|created|composed|assembled|prepared|put together|compiled>"
_MACHINE = (
    "<an AI|an AI model|a language model|a large language model|an automated system|artificial "
    "intelligence|an AI assistant|a chatbot|an AI writing tool|a text generator|machine learning software|"
    "generative AI|an automated newsroom tool|an AI system>"
)
_WE = "<I|we>"
_MAT = "the {material}"

GRAMMAR: dict[str, dict[str, list[str]]] = {
    "made_by_machine": {
        "g_label": [
            "{_THIS} <was|has been|is> {_MADE} <by|using|with the help of|with assistance "
            "from|with> {_MACHINE}"
            "<.| and may contain errors.| and has not been reviewed by a human editor.| from the {material}.|"
            " and checked only lightly.| on the basis of the {material}.>",
            "<Generated|Written|Produced|Drafted|Created> <by|with|using> {_MACHINE}<.| from the {material}.|"
            " - please review.|; facts not independently checked.>",
            "<AI-generated|Machine-generated|Automatically generated|AI-assisted> "
            "<content|text|article|story|copy>"
            "<.|: review before use.|; verify before publishing.| based on the {material}.>",
        ],
        "g_process": [
            "<To write|To produce|To put together|In preparing|For> {_THIS}, {_WE} <summarised|condensed|"
            "paraphrased|reorganised|merged|combined|drew on|went through> {_MAT}<.| and nothing else.|"
            " provided in the prompt.| supplied with the request.>",
            "<The|This> {_ART} <condenses|summarises|restructures|reworks|combines|distils> {_MAT} into "
            "<a news format|about 400 words|a single story|a short report|an inverted-pyramid story>.",
            "{_WE} <relied|drew|leaned> <only|solely|exclusively|mostly> on {_MAT} <to "
            "write|for|when composing|"
            "when drafting> {_THIS}.",
            "Everything in {_THIS} <comes|is drawn|is taken> from {_MAT}<.|; nothing was added.| "
            "given to me.>",
        ],
        "g_no_reporting": [
            "No <interviews|phone calls|independent checks|original reporting|site visits> <were|was> "
            "<conducted|carried out|made|done> <for|in preparing|to produce> {_THIS}.",
            "{_THIS} involved no <original reporting|fresh interviews|independent verification>; it "
            "<rests|relies|draws> <entirely|only|solely> on the {material}.",
            "<The model|The assistant|The AI|The writer|This tool|The system> did not <contact|interview|"
            "speak to|call> <anyone|any of the people named|the people involved|{org}> <for|in writing> "
            "{_THIS}.",
        ],
        "g_as_ai": [
            "As <an AI|a language model|an AI assistant|an automated writer|a text-generation model|a "
            "machine>, <I|the assistant> <can't|cannot|am unable to|have no way to|do not> <attend "
            "events|make phone calls|interview people|visit the scene|confirm facts independently|take "
            "photographs|check facts in person|watch the match>.",
            "<Being|Since I am|Because I'm|As> <an AI|a language model|an AI model|a virtual assistant>, "
            "<I|my account> <relies|rely|depends|depend> on the {material} <alone|only|rather than "
            "first-hand "
            "reporting>.",
            "I'm <an AI|a language model|an AI assistant|just a model>, so <I|my summary> <can't|cannot|"
            "could not> <verify|confirm|check> {detail}.",
        ],
    },
    "trust_note": {
        "g_treat_with": [
            "<Please|Readers should|You should|Editors should|Kindly> treat <the figures|these numbers|"
            "the quotes|the details|this account|the dates|the totals|the claims> <with caution|as "
            "provisional|as unconfirmed|as approximate|sceptically>, <as|since|because> <they come|it "
            "comes|they were taken> <only|straight|directly> from the {material}.",
            "<The figures|The quotes|The numbers|The names|The dates> <in|of> <this|the> "
            "{_ART} <should be|need to be|must be|ought to be> <double-checked|verified|confirmed|checked> "
            "<before publication|against the original the {material}|with {org}|by an editor>.",
        ],
        "g_not_verified": [
            "<I have not|I haven't|We have not|The assistant has not|The model has not|I did not> "
            "<verified|checked|confirmed|fact-checked|cross-checked> <these claims|the figures|the quotes|"
            "this information|any of this|the details> <independently|against other sources|with the "
            "people involved|beyond the {material}>.",
            "<None|Little|Not all> of <this|the above|what is written here> <has been|was|could be> "
            "<verified|confirmed|checked> <independently|against other sources|by me|outside the "
            "{material}>.",
        ],
        "g_only_as_good": [
            "<This|The> {_ART} is only as <accurate|reliable|complete|up to date|trustworthy> as {_MAT} "
            "<it is based on|behind it|I was given|it draws on|supplied>.",
            "Any <errors|mistakes|inaccuracies|gaps> in {_MAT} <will|may|would> <carry over|be "
            "reflected|appear> <in|into> <this|the> {_ART}.",
        ],
        "g_review_before": [
            "<Please|Kindly|Be sure to|Remember to|Do> <review|check|verify|fact-check|proofread> "
            "<this draft|the article|the piece|the facts|the names and figures|{_THIS}> before "
            "<publishing|publication|it goes live|sharing it|using it|running it>.",
            "<It is|It's|It would be> <advisable|wise|a good idea|best|recommended> to "
            "<confirm|verify|check> "
            "<these details|the key facts|{detail}|the figures> <with|against> <official sources|{org}|the "
            "original reporting|primary sources> <before publishing|first|before use>.",
        ],
        "g_note_based": [
            "<Note|Please note|NB|Important>: <this|the> {_ART} is based <on|only on|entirely on|solely on|"
            "largely on> the {material}<.|, which I could not verify.|, and may not be complete.|; "
            "some details "
            "may have changed.|, not on original reporting.>",
            "<Disclaimer|Caveat|Note to editor|Editor's caution>: <the|this> {_ART} <draws "
            "on|uses|relies on> "
            "<limited|incomplete|unverified|second-hand> <information|sources|material|inputs>.",
        ],
    },
    "missing_info": {
        "g_no_mention": [
            "<There is|There's|I found|I see> no <mention|record|word|indication|figure|detail|reference> "
            "<of|about|on|regarding|for> {detail} <in|among|anywhere in|within> the {material}.",
            "Nowhere <in|do> the {material} <is there|mention|give|state> {detail}.",
        ],
        "g_doesnt_say": [
            "The {material} <does not|doesn't|do not|did not> <state|specify|reveal|indicate|contain|"
            "report|explain|tell me|clarify> {wh}.",
            "<None|Not one|Neither> of the {material} <states|specifies|reveals|explains|identifies|reports> "
            "{detail}.",
        ],
        "g_i_cannot_find": [
            "<I|We> <could not|couldn't|was unable to|were unable to|did not|failed to> <find|locate|"
            "identify|spot|see> <any|a> <reference to|mention of|figure for|source for|record of> {detail} "
            "<in the {material}|among the {material}|in what I was given|in what was provided|in "
            "the text you "
            "supplied>.",
            "<I|We> <searched|checked|looked through|went through|reviewed> the {material} "
            "<but|and> <found|saw|"
            "could find> <nothing|no information|no details|no mention> <on|about|regarding> {detail}.",
        ],
        "g_unknown_from": [
            "<Going by|Judging from|Using only|Relying on|On the strength of> the {material}, {detail} <is|"
            "remains> <unknown|not known|unconfirmed|unavailable|uncertain>.",
            "{Detail} <cannot|can't|could not|couldn't> be <determined|confirmed|established|verified|found|"
            "worked out> from the {material}.",
        ],
        "g_limited": [
            "<The information|Information|What I have|The material|The data> <available|provided|at hand|on "
            "hand|I was given|supplied> <is limited|is sparse|is incomplete|is thin|is scant|is patchy> "
            "<on|about|regarding|concerning> {topic}.",
            "<I|We> <only|just> <have|had|got> <limited|partial|fragmentary|very little> <information|"
            "detail|material|context> <on|about|regarding> {topic}.",
            "<Limited|Little|Scant|No> <information|detail> <is|was> <available|provided|given> <to me|in "
            "the prompt|in the {material}> <on|about|regarding> {detail}.",
        ],
        "g_gap": [
            "<I|We> <have|'ve> <left|marked|flagged|noted|kept> {detail} <blank|as unknown|as missing|as "
            "a gap|out> <because|since|as> <no source mentions it|it was not in the {material}|the "
            "{material} "
            "omit it|I had no figure>.",
            "<Without|Lacking|In the absence of> <information|details|a source|data> <on|about> {detail}, "
            "<I|we> <have|'ve> <omitted|skipped|left out|not included> <it|that part|that point>.",
            "<This|That> <point|detail|figure|part> <is|remains> <missing|absent|a gap> <because|as|since> "
            "the {material} <say nothing|give nothing|are silent> about it.",
        ],
    },
    "refusal": {
        "g_unable": [
            "<I'm sorry, but I|Unfortunately, I|I'm afraid I|Regrettably, I|I> <can't|cannot|am unable "
            "to|won't be able to|am not able to> <write|produce|create|draft|generate|complete> <this|"
            "the requested|a|that> <article|story|piece|report|news item> <about {topic}|on {topic}|>"
            "<, because|, as|, since> <the {material} do not cover it|I have no information on it|there is "
            "nothing to base it on|it would require facts I don't have|I cannot verify the claims|the "
            "sources are unrelated>.",
        ],
        "g_insufficient": [
            "<The|This> <information|material|input|context|data> <provided|supplied|given|available> "
            "<is|was> <insufficient|not sufficient|inadequate|too limited> <for|to produce|to support> "
            "<an accurate|a reliable|a complete|a meaningful|any> <article|story|report|news piece>"
            "< on {topic}| about {topic}|>.",
            "<Given|With> <so little|this little|such limited|only partial> <information|material|context>, "
            "<a|an> <full|proper|accurate|complete> <article|story|report> <isn't|is not|would not be> "
            "<possible|feasible|responsible>.",
        ],
        "g_no_fabricate": [
            "<Writing|Producing|Completing|Finishing> <this|the> <story|article|piece> would <require|mean|"
            "involve> <inventing|making up|fabricating|guessing at> <details|facts|quotes|figures>, <which "
            "I won't do|so I have stopped here|which I cannot do|and I'd rather not>.",
            "<I|We> <won't|will not|can't|cannot|shouldn't> <invent|make up|fabricate|guess> <quotes|figures|"
            "details|facts> <to fill the gaps|that are not in the {material}|for {topic}>.",
        ],
        "g_decline": [
            "I <must|have to|need to|will have to> <decline|refuse|pass on> <this request|writing this|"
            "the request|the task><.|, sorry.| as it stands.>",
            "<This|That> <request|task> <is|falls> <outside what I can do|beyond what I can do|against my "
            "guidelines|outside my guidelines>.",
        ],
    },
    "apology": {
        "g_sorry_error": [
            "<Sorry|Apologies|I apologise|I apologize|So sorry|Sorry about that>, <the previous draft|my "
            "earlier version|the last version|my last answer|the first draft> <got|had|gave|listed|stated> "
            "{detail} <wrong|incorrectly|in error>.",
            "<I'm sorry|Sorry|Apologies|My bad> <for|about> <getting|misstating|confusing|mixing "
            "up> {detail} "
            "<earlier|before|in the last draft|the first time>.",
        ],
        "g_corrected": [
            "<I've|I have|We've|We have> <corrected|fixed|updated|amended|revised> <the|that|this> "
            "<error|mistake|figure|name|date|detail> <as you pointed out|per your note|thanks to your "
            "feedback|in the new version|below>.",
            "<The|This> <corrected|revised|updated|fixed> <version|draft|article> <below|above> <now|> "
            "<uses|gives|has|shows> the right {detail}<.|, as you noted.|; sorry for the error.>",
        ],
        "g_you_are_correct": [
            "<You are correct|You're correct|That's true|Indeed|Thanks for noticing>, <the|my> <earlier|"
            "previous|first> <draft|version|answer|response> <misstated|confused|got wrong|mixed up> "
            "{detail}.",
            "<Thanks|Thank you> for <catching|spotting|flagging|noticing> <that|the error|the mistake|my "
            "error><.|; it is fixed now.|, I've updated the article.>",
        ],
        "g_regret": [
            "<I|We> <regret|apologise for|apologize for|am sorry for> <the error|the confusion|any "
            "inconvenience|the oversight|the incomplete draft|the misunderstanding><.| this caused.| in my "
            "earlier reply.>",
            "<Sorry|Apologies|Forgive me|Pardon me> <for the|about the> <confusion|mix-up|oversight|delay|"
            "error><.|!| earlier.>",
        ],
    },
    "offer_help": {
        "g_if_you_want": [
            "<If you'd like|If you want|If you prefer|Should you wish|If needed|If that helps>, <I|we> "
            "<can|could|would be glad to|am happy to> <also|> {action}<.|!| for you.>",
            "<I|We> <can|could> <also|easily|quickly|> {action}<, if you like|, if needed|, if that would "
            "help|, just say the word|><.|!>",
        ],
        "g_questions": [
            "<Do you need|Would you prefer|Would it suit you for|Is it useful for> me to {action}?",
            "<Want|Need> me to {action}?",
            "<Is there|Would there be> anything else <I can do|you'd like me to change|you need|I can help "
            "with><?| for this story?| on this piece?>",
            "<How|Where> would you like me to <proceed|go from here|continue><?| with the draft?>",
        ],
        "g_let_me": [
            "<Let me know|Tell me|Just say|Drop me a note> <if|whether|when> <you need|you'd like|you want> "
            "<any changes|another version|more detail|a different angle|me to {action}><.|!>",
            "<I'm|I am|We're|We are> <here|available|ready|around> <to help|if you need anything else|for "
            "any further edits|to make changes><.|!>",
        ],
        "g_hope": [
            "<I hope|Hopefully|I trust> <this|the article|the draft|this version|the piece> <helps|is "
            "useful|works for you|meets your needs|fits what you had in mind|is what you needed><.|!| for "
            "your story on {topic}.>",
            "<Good luck|Best of luck|All the best> with <your story|the piece|the publication|your "
            "article><.|!>",
        ],
    },
    "knowledge_cutoff": {
        "g_last_update": [
            "As of my <last|latest|most recent> <update|training update|knowledge update|information>"
            "< in {when}|>, {clause}.",
            "<At the time of|Up to> my <training|last update|knowledge cutoff|cutoff date>< in {when}|>, "
            "{clause}.",
        ],
        "g_cutoff": [
            "My <knowledge|training data|information|training> <extends|runs|goes|reaches> <only up to|"
            "until|through|as far as> {when}<.|, so {clause} may no longer hold.|; later events are not "
            "covered.>",
            "<Because of|Given|Due to> my <knowledge cutoff|training cutoff|training data's cutoff|limited "
            "training data>, <recent|later|the latest> <events|developments|results|figures> <are|may be> "
            "<missing|not included|not reflected>.",
        ],
        "g_no_realtime": [
            "<I|We> <don't|do not|can't|cannot> <have|get|access> <real-time|live|current|up-to-the-minute> "
            "<information|data|news|updates><.| on {topic}.| about {topic}.>",
            "<I am|I'm> <not able|unable> to <browse|search|check> the <internet|web|news> for <updates|"
            "the latest on {topic}|{detail}>.",
        ],
        "g_check_current": [
            "<For|To get> <the latest|current|up-to-date|more recent> <information|figures|details|news>"
            "< on {topic}|>, <please|> <check|consult|refer to|look at> <a reliable news source|official "
            "sources|recent reports|{org}>.",
            "<Events|Details|The situation|Figures> <may|might|could> have <moved on|developed|been "
            "updated|evolved> <after|past|beyond> my <training|cutoff|last update>.",
        ],
    },
    "placeholder": {
        "g_slot_sentence": [
            "{Person} told reporters that {slot} would be announced on {slot}.",
            "The <event|match|hearing|launch|meeting|concert> <will take place|is scheduled|is set> "
            "<at|in|for> {slot}<.|, officials said.>",
            "<According to|Speaking to|Said> {slot}, the <plan|deal|project|decision> <was|is> <approved|"
            "delayed|welcomed|criticised>.",
            "<The company|The council|Police|The club|Organisers> said {slot} <people|fans|residents|"
            "staff> <attended|were affected|were evacuated|signed up>.",
            "{slot} <is|was> <named|appointed|chosen> as the new <chief executive|manager|chair|"
            "spokesperson>.",
            "<Revenue|Profit|Turnover|Attendance> <rose|fell|reached> {slot} in {slot}.",
        ],
        "g_notes": [
            "<[Add|[Insert|[Include|[Need|[Check> <quote|figure|date|background|name|source|link|photo>"
            "< here|>]",
            "<Note to self|Editor|TODO|FIXME|TBD>: <add|confirm|check|insert> <a quote from {person}|"
            "{detail}|the figures|the date|background on {topic}>.",
            "<(|[>Placeholder<:| for> <quote|statistic|date|name|location|image caption><)|]>",
        ],
    },
    "echoed_instruction": {
        "g_imperatives": [
            "<Write|Compose|Draft|Produce|Create|Generate> a <300|400|500|600|800>-word "
            "<news article|story|report|piece|summary> <about|on|covering> {topic}<.| for a general "
            "audience.| in a neutral tone.| using the sources below.>",
            "<Summarise|Summarize|Condense|Rewrite|Turn> <the following|these|the attached|the above> "
            "<documents|sources|notes|passages|articles> <into|as> <a news story|an article|a short "
            "report|a summary>.",
        ],
        "g_constraints": [
            "<Avoid|Do not use|Don't use|No> <speculation|opinions|jargon|passive voice|first person|"
            "unverified claims|adjectives><.|, and keep it factual.| in the article.>",
            "<Keep|Limit|Make> the <article|piece|story|summary> <under|to about|below|within> "
            "<300|400|500|200> words<.| and use short paragraphs.>",
            "<Cite|Attribute|Reference> <every claim|all facts|each quote|the figures> to <the sources|a "
            "source|the documents provided><.| in brackets.>",
            "<Always|Make sure to|Remember to|Be sure to> <use|write in|follow> <AP style|British "
            "spelling|the house style|plain English|the inverted pyramid><.| throughout.>",
        ],
        "g_meta_prompt": [
            "<System|User|Assistant|Prompt|Instruction|Task>: <write|summarise|draft|rewrite> <a news "
            "article|the story|a report> <about|on> {topic}.",
            "<The prompt|The request|The brief|This task> <asks|asked> for <a|an> <short|neutral|"
            "balanced|400-word> <article|report|story> <on|about> {topic}.",
            "<Respond|Answer|Reply> <only|> <in|with> <the article text|JSON|plain text|Markdown><.| and "
            "nothing else.>",
        ],
    },
    "chat_opener": {
        "g_sure": [
            "<Sure|Certainly|Of course|Absolutely|Definitely|Gladly|Happy to help|No problem|Great>"
            "<!|,|.> <Here's|Here is|Below is|Below you'll find|I've written> <the|your|this> "
            "<300-word|400-word|"
            "500-word|short|brief|concise|balanced|> <news "
            "article|article|story|report|piece|summary|write-up>"
            "< about {topic}| on {topic}| based on the {material}|>< as requested|>:",
            "<Sure|Certainly|Of course|Absolutely|Okay|OK|Alright|Right><!|,|.> <Let me|I'll|I will> "
            "<write|draft|put together|prepare> <that|the article|a story|the piece> <for you|now|right "
            "away|>.",
        ],
        "g_thanks": [
            "<Thanks|Thank you|Many thanks> for <the|your> <request|sources|notes|materials|prompt|"
            "instructions|patience><!|.| - here's the article.>",
            "<What|That's> a<n interesting| great| fascinating| timely> <topic|story|request|question><!|.>",
        ],
        "g_heres": [
            "<Here's|Here is|Below is|Following is|What follows is> <my|the|a> <attempt|take|version|draft|"
            "rewrite> <at|of> <the|this|your> <article|story|piece><:|.>",
            "<Here's|Here is|Below is> <a|the> <summary|rundown|breakdown|overview> of <{topic}|the key "
            "points|the main facts|what happened><:|.>",
            "<Below|Beneath|Following this|Underneath>, you <will|'ll|can> <find|see|read> <the|a|my> "
            "<article|story|draft|report><.|:>",
        ],
    },
    "source_talk": {
        "g_sources_show": [
            "<The|These|Those> {material} <show|suggest|say|state|report|describe> that {clause}.",
            "<In|From|Across> the {material}, <it appears|it emerges|we learn|I learned|it seems> "
            "that {clause}.",
        ],
        "g_numbered": [
            "<Source|Document|Result|Article|Passage|Snippet> <1|2|3|4|5|one|two|A|B> <says|states|notes|"
            "reports|mentions|claims> <that|> {clause}.",
            "<The first|The second|The third|The last|Another|A later> <source|document|search result|"
            "article|passage|snippet> <says|states|notes|adds|reports|suggests> <that|> {clause}.",
            "{Clause} <[1]|[2]|[3]|[source 2]|(source 1)|(doc 3)|(result 4)|[ref 1]>.",
        ],
        "g_disagree": [
            "<The|Some of the|Two of the> {material} <differ|vary|are inconsistent|don't agree> <on|about|"
            "over|regarding> {detail}<.|, so I went with the most recent.|; I used the official figure.>",
            "<I|We> <went with|used|chose|preferred|relied on> <the|the more recent|the official|the "
            "higher|the lower> <figure|number|date|account> <from|given in> the {material}.",
        ],
        "g_meta_length": [
            "<Word count|Length|Words|Approx. word count>: <about|around|approximately|roughly|> "
            "<300|350|400|450|500|600>< words|>",
            "<This|The> {_ART} <is|runs to|comes to|has> <about|around|roughly|approximately> "
            "<300|350|400|450|500|600> words<.| long.| in length.>",
            "<The|This> <article|story> <above|below> is <fictional|a fictional scenario|hypothetical|"
            "illustrative|an example>.",
        ],
    },
}

_MACROS = {
    "{_ART}": _ART,
    "{_THIS}": _THIS,
    "{_MADE}": _MADE,
    "{_MACHINE}": _MACHINE,
    "{_WE}": _WE,
    "{_MAT}": _MAT,
}
for _families in GRAMMAR.values():
    for _templates in _families.values():
        for _i, _template in enumerate(_templates):
            for _name, _value in _MACROS.items():
                _template = _template.replace(_name, _value)
            _templates[_i] = _template

# Held-out families written with the grammar above, before any model was trained on it (a second,
# later set beside the first twelve): fresh phrasings of each kind, measured, never trained on.
META_HELD_LATER: dict[str, dict[str, list[str]]] = {
    "made_by_machine": {
        "software_wrote": [
            "This copy was machine-written from the {material} and lightly edited.",
            "Automated journalism notice: the text above comes from a generative model working from the "
            "{material}.",
            "The piece you are reading was composed by software, drawing on the {material}.",
            "Produced by our AI newsdesk from the {material}; no reporter was involved.",
        ],
    },
    "trust_note": {
        "grain_of_salt": [
            "Take the numbers above with a grain of salt; they come from the {material}, which I had no "
            "way to check.",
            "Treat this write-up as a first draft: its facts stand or fall with the {material}.",
            "Readers would do well to confirm the key facts elsewhere, since this text was assembled from "
            "the {material}.",
            "Nothing here has been through an editor, so check it before relying on it.",
        ],
    },
    "missing_info": {
        "no_trace": [
            "I found no trace of {detail} anywhere in the {material}.",
            "{Detail}: not stated in the {material}.",
            "The {material} say nothing at all about {detail}.",
            "As far as the {material} go, {detail} remains a blank.",
        ],
    },
    "refusal": {
        "cant_proceed": [
            "With only the {material} to work from, I can't responsibly produce a story on {topic}.",
            "I'll have to stop here: nothing I was given supports an article about {topic}.",
            "Rather than guess, I am not going to write the requested piece on {topic}.",
            "A news article on {topic} is not something I can put together from the {material}.",
        ],
    },
    "apology": {
        "slip": [
            "Oops, the date I gave for {detail} was off; here is the fixed paragraph.",
            "I stand corrected on {detail}, and the article now reflects that.",
            "That was an error on my part regarding {detail}.",
            "Sorry for the slip with {detail} in my last message.",
        ],
    },
    "offer_help": {
        "say_the_word": [
            "I could also draft a version aimed at younger readers, if that is of interest.",
            "Just say the word and I'll {action}.",
            "Whenever you are ready, I can {action}.",
            "Ping me if you want me to {action}.",
        ],
    },
    "knowledge_cutoff": {
        "data_stops": [
            "My information on {topic} may be out of date, since I only know events up to {when}.",
            "Anything that happened after {when} is beyond what I can tell you.",
            "I can't account for developments later than my {when} cutoff.",
            "Bear in mind my data stops around {when}, so check for newer reports.",
        ],
    },
    "placeholder": {
        "fill_in": [
            "Officials said the repairs would cost {slot}.",
            "{slot} will lead the delegation, {org} said on {day}.",
            "Fans can buy tickets at {slot}.",
            "The ceremony is expected to draw {slot} guests.",
        ],
    },
    "echoed_instruction": {
        "spec_list": [
            "Audience: readers with no background on {topic}.",
            "Please keep quotes short and attribute every figure.",
            "Stick to the facts in the notes and don't add opinion.",
            "The headline should be under ten words.",
        ],
    },
    "chat_opener": {
        "warm_open": [
            "Happy to help! Below is a news story on {topic}.",
            "Great idea - here's a draft about {topic}.",
            "Here you go: a short article on {topic}.",
            "Thanks for sending the {material}; here's what I came up with.",
        ],
    },
    "source_talk": {
        "material_says": [
            "Per the snippet from {org}, {clause}.",
            "Going by the second of the {material}, {clause}.",
            "The {material} I was given say {clause}, but I could not confirm it.",
            "Two of the {material} suggest {clause}.",
        ],
    },
}


def _material_phrases(count: int = 80) -> list[str]:
    """Names for the material given to the writing machine, composed from parts ("attached
    clippings", "notes you sent"), for training only: none is a held-out-only filler of SLOTS."""
    held_only = SLOTS["material"][len(SLOTS["material"]) * 3 // 4 :]
    stem = lambda text: " ".join(w.rstrip("s") for w in text.lower().split())  # noqa: E731
    banned = {stem(f) for f in held_only}
    made = [
        *(f"{adj} {noun}" for adj in _MATERIAL_ADJ for noun in _MATERIAL_NOUN),
        *(f"{noun} {post}" for noun in _MATERIAL_NOUN for post in _MATERIAL_POST),
    ]
    made = [m for m in made if stem(m) not in banned]
    return random.Random(SEED).sample(made, count)


_MATERIAL_ADJ = [
    "provided",
    "supplied",
    "attached",
    "given",
    "retrieved",
    "pasted",
    "shared",
    "uploaded",
    "available",
    "enclosed",
    "linked",
    "listed",
]
_MATERIAL_NOUN = [
    "documents",
    "sources",
    "notes",
    "passages",
    "excerpts",
    "snippets",
    "results",
    "texts",
    "articles",
    "materials",
    "files",
    "clippings",
    "reports",
    "records",
    "extracts",
    "transcripts",
]
_MATERIAL_POST = [
    "you provided",
    "you shared",
    "I was given",
    "in the prompt",
    "above",
    "you sent",
    "supplied to me",
    "in your message",
    "you attached",
    "I received",
    "included with the request",
]

_add_families(GRAMMAR)
HELD_LATER = _add_families(META_HELD_LATER)

# A third held-out set, written on 2 December 2026 before any model was trained with the cues and
# families added that day (META_EXTRA, the material/addressee/artifact cues): one family per kind,
# in ordinary news words where it can be. Measured apart as ``held_out_recall_third_set``.
META_HELD_THIRD: dict[str, dict[str, list[str]]] = {
    "made_by_machine": {
        "tool_credit": [
            "Text generated from the {material} by an automated drafting system; a human has not "
            "reviewed it.",
            "Our newsroom assistant software wrote this report after reading the {material}.",
            "The wording of this report is machine-made: a model turned the {material} into prose.",
            "What you just read was written by a computer program summarising the {material}.",
        ],
    },
    "trust_note": {
        "use_with_care": [
            "Every figure in this report comes second-hand from the {material}, so confirm them before "
            "quoting.",
            "Because no reporter checked these facts, the story should be read as provisional.",
            "The names and dates above were copied from the {material} and may contain transcription errors.",
            "Accuracy here depends on the {material}; there was nothing independent to test them against.",
        ],
    },
    "missing_info": {
        "blank_spot": [
            "{Wh} is something the {material} never get round to explaining.",
            "The {material} are quiet on {detail}, so the story leaves it out.",
            "{Detail} could not be pinned down from the {material}.",
            "On {detail}, the {material} offer nothing.",
        ],
    },
    "refusal": {
        "no_story": [
            "There is nothing in the {material} about {topic}, so no article can be written from them.",
            "I'd be inventing the story if I wrote about {topic} from these {material}, so I won't.",
            "Writing about {topic} isn't possible with what I was sent.",
            "No article follows, because the {material} are about something else entirely.",
        ],
    },
    "apology": {
        "my_error": [
            "My earlier version gave {detail} incorrectly, sorry about that.",
            "Apologies once more, I misread the {material} on {detail}.",
            "I see the mistake now: {detail} was wrong in the draft I sent.",
            "You were correct to question {detail}; I had it wrong.",
        ],
    },
    "offer_help": {
        "more_on_request": [
            "Happy to {action} too, just ask.",
            "I can {action} on request.",
            "Tell me if a shorter or longer version would suit you better.",
            "Should you need it, I could {action} as well.",
        ],
    },
    "knowledge_cutoff": {
        "my_horizon": [
            "Events after {when} are not part of what I learned, so the latest on {topic} may be missing.",
            "My picture of {topic} ends in {when}.",
            "I have no knowledge of what happened after {when}, so the figures may have moved.",
            "Because my information is frozen at {when}, please confirm whether {clause}.",
        ],
    },
    "placeholder": {
        "blank_fields": [
            "The new chief executive, {slot}, starts on {slot}.",
            "Police said {slot} people were arrested after the match.",
            "The bill passed by {slot} votes to {slot}.",
            "{Org} will announce its decision on {slot}.",
        ],
    },
    "echoed_instruction": {
        "brief_bits": [
            "Focus on the human impact and end with a quote.",
            "Mention {org} in the first paragraph.",
            "Headline: catchy but accurate, no more than 12 words.",
            "Do not speculate about the cause; stick to confirmed facts.",
        ],
    },
    "chat_opener": {
        "opener": [
            "Sure thing, the article on {topic} follows.",
            "Here's my take on {topic}, written as a news story:",
            "Okay! I've put together the piece on {topic} below.",
            "Thanks for the brief; the story on {topic} is below.",
        ],
    },
    "source_talk": {
        "per_material": [
            "The {material} put {detail} differently, and I picked the figure from {org}.",
            "Judging by the {material}, {clause}.",
            "In the {material} you gave me, {clause}.",
            "Two of the {material} say {clause}, while a third does not.",
        ],
    },
}
HELD_THIRD = _add_families(META_HELD_THIRD)

# Training families added on 2 December 2026 (after META_HELD_THIRD was written), on the kinds whose
# held-out recall was lowest: meta-text in ordinary news words (a placeholder inside a news
# sentence, the material named in a hedge, a bare line of the brief, an offer in a few words).
META_EXTRA: dict[str, dict[str, list[str]]] = {
    "missing_info": {
        "x_hedge_material": [
            "<It is|It's|It remains|It was> <unclear|not clear|uncertain|impossible to say|hard to tell|not "
            "known> <from|based on|on the basis of|in|within> the {material} <whether {clause}|{wh}>.",
            "<Reading|Checking|Looking at|Going through> the {material}, <it is|it's|I find it> <unclear|not "
            "clear|hard to say|impossible to tell> {wh}.",
            "<The|These> {material} <make it|render it|keep it> <unclear|ambiguous|uncertain|hard to say> "
            "{wh}.",
            "<Whether {clause}|{Wh}> <is|remains|stays> <unclear|unknown|uncertain|an open question> "
            "<from|in|on the basis of|according to> the {material}.",
            "<What I was given|The material I have|The text I received|The input> <does not|doesn't|"
            "never> <say|specify|clarify|settle|make clear> {wh}.",
        ],
        "x_detail_absent": [
            "{Detail} <is|was> <absent from|missing from|nowhere in|left out of|not among> the {material}.",
            "<There is|There's> <nothing|no word|no figure|no detail|no clue> <on|about|as to> {detail} "
            "<in|among|across> the {material}.",
            "The {material} <stop short of|fall short of|stop before> <giving|naming|stating|confirming> "
            "{detail}.",
        ],
    },
    "offer_help": {
        "x_short_offer": [
            "<I can|I could|Glad to|Happy to|I'm able to|I'd gladly> <also|> {action}<, if useful| if "
            "you wish| on request| whenever you like| if it would help|>< too|><.|!>",
            "<Say|Tell me|Let me know|Shout> <if|when|whether> <you'd like|you want|you need|it would help "
            "for> me to {action}<.|!>",
            "<A|An> <shorter|longer|alternative|simpler|punchier|more formal> <version|draft|headline|"
            "take> <is|can be> <available|ready|yours> <on request|if you want it|if needed|too><.|!>",
            "<Can|May|Shall|Should> I <also|> {action}<?| for you?| as well?>",
        ],
    },
    "knowledge_cutoff": {
        "x_unaware": [
            "<There may|There might|There could> <be|have been> <newer|later|more recent|further> "
            "<developments|changes|events|updates> <that I am not aware of|I can't see|I don't know "
            "about|I'm unaware of|beyond my training>.",
            "<I am|I'm> <not aware of|unaware of|not informed about|not up to date on> <anything|any "
            "developments|any changes|events|news> <after|since|beyond|past> {when}.",
            "<What I know|My information|My knowledge|What I learned> <about {topic}|> <ends|stops|is "
            "limited to|only goes up to|runs out at> <{when}|my training cutoff|my last update>.",
            "<My|The> <training|data|knowledge> <I have|I rely on|behind this article> <ends|stops|is "
            "dated> <in|at|around> {when}<.|, so newer facts are missing.>",
        ],
    },
    "placeholder": {
        "x_slot_in_news": [
            "<The|A> <spokesman|spokeswoman|minister|coach|chief executive|mayor> <said|told reporters|"
            "confirmed> <that|> {slot} <would|will|had agreed to> <resign|attend the summit|sign the "
            "contract|lead the inquiry|take over>.",
            "<About|Nearly|More than|Around|Some|> {slot} <people|fans|residents|workers|passengers|"
            "pupils> <attended|were evacuated|lost their jobs|were injured|signed the petition|"
            "turned out><.|, officials said.| on {day}.>",
            "<The|This> <deal|contract|project|fine|bill|bid> <is worth|cost|was valued at|totals|came "
            "to> {slot}<.|, according to {org}.>",
            "<The|A> <hearing|vote|match|launch|summit|trial> <was moved to|will be held on|is due "
            "on|took place on|begins on> {slot}<.|, {org} said.>",
            "{Person} <joined|left|was born in|grew up in|moved to> {slot} in {slot}.",
            "The <company|club|council|airline|hospital> <is based in|was founded in|employs> {slot}.",
        ],
    },
    "echoed_instruction": {
        "x_brief_lines": [
            "<Tone|Style|Voice|Register|Angle|Focus|Deadline|Output|Byline|Dateline>: <neutral|formal|"
            "third person|plain English|the local impact|the economic angle|tomorrow morning|plain "
            "text|staff reporter|London>.",
            "<Start|Open|Lead|Begin> <with|on> <the|a> <most important fact|human story|key figure|strongest "
            "quote|news>< and keep it short|, then add context|>.",
            "<End|Close|Finish|Wrap up> <with|on> <a quote|the next steps|a look ahead|the reaction of "
            "{org}|a short summary><.| from an official.>",
            "<Include|Add|Use|Quote> <at least|no more than|exactly> <one|two|three> <quotes|sources|"
            "statistics|examples><.| in the piece.| from {org}.>",
            "<Name|Mention|Cite|Credit> {org} <as the source|in the opening line|before any figures|"
            "whenever you use its data>.",
            "<Don't|Do not|Never> <editorialise|use exclamation marks|address the reader|name the "
            "victims|guess at motives>< in the story|>.",
        ],
    },
    "source_talk": {
        "x_material_account": [
            "<In|From|Across|Among> the {material}, {clause}.",
            "<The|Some of the|Most of the|All of the> {material} <put|give|report|describe|frame> {detail} "
            "<differently|in different ways|inconsistently|in two ways>.",
            "<Where|When> the {material} <disagree|differ|conflict>, <I|this article|the story> <follows|"
            "follow|used|uses|went with> <the newest|the official|the most cited|the first> <one|account|"
            "figure>.",
            "<One|Another|A third|The last> of the {material} <puts|gives|says|has> {detail} <at|as> "
            "<a different figure|something else|a higher number|a lower number>.",
        ],
    },
    "apology": {
        "x_correction_chat": [
            "<Ah|Oh|Right|Hm|Yes>, <I|my draft|the last version> <misread|misreported|mixed up|confused|"
            "misstated> {detail}<.|; fixed now.| - corrected below.|, my fault.>",
            "<Good point|Fair point|You caught it|Well spotted>, {detail} <was|is> <wrong|off|incorrect> "
            "<in|on> <my|the> <draft|reply|earlier answer|previous message><.|; here's the fix.>",
            "<Correction|Update|Fix> <made|applied|done>: {detail} <now reads correctly|is fixed|has been "
            "changed>, <sorry|apologies|my mistake>.",
        ],
    },
}
_add_families(META_EXTRA)

# A fourth held-out set, written on 7 December 2026 before any training of that day (issue 14 item 5)
# and before the families added that day (META_IDEAS) were written: one family per kind, plus one
# newsroom hedge family (HEDGES_HELD_FOURTH). Nobody tuned on it: measured apart as
# ``held_out_recall_fourth_set``.
META_HELD_FOURTH: dict[str, dict[str, list[str]]] = {
    "made_by_machine": {
        "no_human_hand": [
            "No human journalist wrote these paragraphs; they were generated from the {material}.",
            "Coverage of {topic} on this page is the output of a language tool fed with the {material}.",
            "I put this report together myself from the {material} without speaking to anyone.",
            "This summary is computer-generated and rests on the {material}.",
        ],
    },
    "trust_note": {
        "check_first": [
            "Before publishing, someone should double-check {detail} against the original {material}.",
            "Because I could not confirm {detail}, treat that part of the story as provisional.",
            "The accuracy of this report depends entirely on the {material} it was built from.",
            "Please have an editor confirm the quotes, as I reproduced them from the {material}.",
        ],
    },
    "missing_info": {
        "left_open": [
            "The {material} leave {detail} open, so I could not include it.",
            "Nowhere do the {material} tell us {wh}.",
            "I was unable to establish {wh} from what was supplied.",
            "{Detail} is missing from the information I received.",
        ],
    },
    "refusal": {
        "best_not": [
            "It would not be responsible for me to write about {topic} on the strength of these {material}.",
            "I'm going to pass on writing this one, since the {material} do not cover {topic}.",
            "Producing a story on {topic} would mean making things up, which I won't do.",
            "This request falls outside what I'm able to help with.",
        ],
    },
    "apology": {
        "owe_you": [
            "My apologies, the earlier draft got {detail} wrong.",
            "I regret the mistake about {detail} in the version I sent you.",
            "Sorry, I should have checked {detail} before sending the story.",
            "Thank you for pointing that out; {detail} is fixed, and I'm sorry for the error.",
        ],
    },
    "offer_help": {
        "next_draft": [
            "Want me to {action}?",
            "If it helps, I can {action} as well.",
            "I'm around if you need me to {action} later.",
            "Let me know whether a different angle on {topic} would work better.",
        ],
    },
    "knowledge_cutoff": {
        "dated_view": [
            "What I know about {topic} only runs up to {when}, so newer events are missing.",
            "I may not be aware of anything that has happened with {topic} recently.",
            "Since my training ended in {when}, the numbers in this article could be stale.",
            "My understanding of {topic} reflects the situation as of {when} and may no longer hold.",
        ],
    },
    "placeholder": {
        "to_fill": [
            "The mayor of {slot} opened the new library on {day}.",
            "Shares in {org} closed at {slot} on {day}.",
            "{slot}, a spokesperson for the hospital, said the patient was stable.",
            "The vote is scheduled for {slot} at {slot}.",
        ],
    },
    "echoed_instruction": {
        "format_rules": [
            "Write it in the style of a wire report, with no more than five paragraphs.",
            "Use British spelling throughout and avoid jargon.",
            "The tone should be neutral and the piece around 400 words long.",
            "Remember to include a headline and a one-line summary at the top.",
        ],
    },
    "chat_opener": {
        "right_away": [
            "Of course - here is the news piece you asked for about {topic}.",
            "Absolutely, below you'll find a report on {topic}.",
            "Got it! Here's a short news article covering {topic}.",
            "No problem, I've written up {topic} as a news story below.",
        ],
    },
    "source_talk": {
        "what_given_says": [
            "The {material} you shared describe {detail} at some length.",
            "Based on what the {material} report, {clause}.",
            "Only one of the {material} mentions {detail}.",
            "The information I received from the {material} indicates that {clause}.",
        ],
    },
}
HELD_FOURTH = _add_families(META_HELD_FOURTH)

# Training families added on 7 December 2026 (after META_HELD_FOURTH was written), one grammar a
# weak idea, each said many ways: instructions about the article's form (length, tone, audience,
# structure, spelling, what to include), remarks on the limits of the writer's knowledge, blanks
# left in ordinary news sentences, offers and questions to the person who asked, and the material
# being silent or thin on a point.
META_IDEAS: dict[str, dict[str, list[str]]] = {
    "echoed_instruction": {
        "g_form_length": [
            "<The|Your|This> <article|story|piece|headline|intro|summary|lead paragraph|standfirst|copy> "
            "<should|must|needs to|ought to|has to> <be|stay|run to|come in at> <under|no more than|at "
            "most|about|roughly|fewer than|around> <ten|twelve|eight|fifty|200|300|500|800|1,000> <words|"
            "characters|sentences|paragraphs>< long|>.",
            "<Keep|Make|Write|Limit> <it|the piece|the article|the story|each paragraph|the summary|the "
            "headline> <short|concise|tight|brief|under 300 words|to three paragraphs|to one sentence|in "
            "the present tense|in the third person|neutral in tone|free of opinion|readable for "
            "teenagers>.",
            "<Word count|Word limit|Length|Target length|Max length|Headline length|Reading level|"
            "Paragraphs>: <about 400 words|under 600 words|300-350 words|three paragraphs|60 characters|"
            "grade 8|no more than five|one page>.",
            "<Aim for|Target|Stay within|Go for|Write> <roughly|about|around|no more than|at least> "
            "<300|400|600|750|five paragraphs of> <words|text|copy|>< in total| overall| for the piece|>.",
        ],
        "g_form_voice": [
            "<The|Your> <tone|voice|register|style|language> <should|must|needs to> <be|stay|remain|"
            "sound> <neutral|measured|formal|friendly|objective|upbeat|sober|authoritative|plain|"
            "conversational>< throughout| at all times| from start to finish|>.",
            "<Use|Write in|Stick to|Follow|Apply> <British spelling|American spelling|US English|AP "
            "style|house style|the inverted pyramid|short paragraphs|active verbs|plain language|Oxford "
            "commas>< throughout| in the piece| for this story| everywhere|>.",
            "<Avoid|Skip|Leave out|Steer clear of|No> <jargon|speculation|opinion|adjectives|the "
            "passive voice|cliches|first-person language|rhetorical questions|exclamation marks|"
            "technical terms><.| in the copy.| throughout.| at all costs.>",
            "<Write|Pitch|Aim|Angle> <it|the story|the article|the piece> <for|at|towards> <a general "
            "audience|busy commuters|local readers|investors|sports fans|readers new to {topic}|"
            "teenagers|a business audience><.|, and keep it simple.|, not specialists.>",
            "<Audience|Readership|Readers|Intended readers|Target reader>: <general public|local "
            "residents|policy makers|young adults|business readers|commuters|parents|fans of the club>.",
        ],
        "g_form_parts": [
            "<Remember|Make sure|Be sure|Don't forget|Take care> to <include|add|give|put in|end with|"
            "open with> <a headline|a subheading|a byline|a dateline|a short summary|a call to action|"
            "the links|a quote from {org}|a pull quote|three bullet points|a closing line><.| at the top.|"
            " at the end.| somewhere in the piece.>",
            "<The|Each|Every> <article|story|piece|section|paragraph> <should|must|needs to> <open|"
            "start|begin|end|close|finish> with <a quote|the key fact|a question|a statistic|the "
            "reaction of {org}|a summary|a strong hook><.|, then give the background.>",
            "<Structure|Layout|Format|Organise> <it|the piece|the story|the article> <as|like|in the "
            "form of> <a wire report|a listicle|an explainer|a Q&A|a news brief|three sections|a "
            "timeline|bullet points><.| please.| with subheadings.>",
            "<Include|Add|Give|Provide> <a headline|two subheadings|a standfirst|a one-line summary|a "
            "fact box|a caption> <and|plus|as well as> <a byline|three key points|a closing quote|the "
            "date|a short bio><.| at the top.| before the body.>",
        ],
    },
    "knowledge_cutoff": {
        "g_stale": [
            "<Things|Circumstances|The situation|Events|The figures|Some details|The picture> <may|might|"
            "could|will probably> have <changed|moved on|shifted|developed|been revised> since <my last "
            "update|my training|my knowledge cutoff|my data was collected|I last learned about it|"
            "{when}><.|, so please check.| in ways I cannot see.>",
            "<I|This model|The assistant|The writer of this text> <may|might|could> <not have|lack|be "
            "missing|be unaware of> <the latest|the most recent|current|up-to-date|newer> <information|"
            "figures|news|developments|facts> <on|about|regarding|concerning> {topic}.",
            "<My|The> <knowledge|information|understanding|picture|view|data> <of|on|about|regarding> "
            "{topic} <reflects|covers|describes|captures|is based on> <only|> <the situation|events|what "
            "was known|the state of things> <up to|as of|until|before|around> {when}.",
            "<As far as I know|To the best of my knowledge|From what I last learned|Based on my "
            "training|Going by what I learned>, {clause}<.|, but this may have changed.|, as of {when}.|"
            ", though I cannot confirm it is still true.>",
            "<Since|Because|As|Given that> my <training|knowledge|data|information|learning> <ended|"
            "ends|stops|was frozen|cuts off|was last refreshed> <in|around|at> {when}, <the figures|some "
            "details|the numbers|parts of this story|the facts above> <may|might|could> be <out of "
            "date|outdated|no longer accurate|superseded|old news>.",
            "<I do not|I don't|I can't|I cannot> <know|say|tell> <what has happened|how things stand|"
            "whether anything changed|the current state of {topic}> <since|after|beyond> <{when}|my "
            "cutoff|my last update|my training ended>.",
        ],
    },
    "placeholder": {
        "g_blank_in_news": [
            "<The|A> <ceremony|match|concert|protest|rally|march|conference|festival> <drew|attracted|is "
            "expected to draw|could attract|brought in> {slot} <people|fans|visitors|delegates|"
            "protesters|spectators><.|, organisers said.| on {day}.>",
            "{slot} <was named|has been appointed|was elected|was confirmed|will serve> as <the new|"
            "interim|acting> <head coach|chief executive|chairman|director|mayor|captain><.|, {org} "
            "said.| on {day}.>",
            "<Tickets|Entry|Membership|The upgrade|Repairs|The new stadium|The scheme> <cost|costs|will "
            "cost|are priced at|is expected to cost> {slot}<.|, according to {org}.| per person.>",
            "<The|A> <company|council|club|hospital|university|airline> <said|announced|confirmed> on "
            "{slot} that <it would|it will|it had> <cut|hire|close|open|sell|buy> {slot} <jobs|"
            "branches|sites|routes|stores|beds>.",
            "<Police|Officials|Paramedics|Firefighters|Rescuers> <were called to|arrived at|searched|"
            "closed|sealed off> {slot} <at|on|shortly after> {slot}<.|, a spokesman said.>",
            "<In|By|Since|Before> {slot}, <the|its> <population|turnover|revenue|budget|workforce|"
            "membership> <had grown|grew|fell|rose|stood> <to|at|by> {slot}.",
        ],
    },
    "offer_help": {
        "g_offer_question": [
            "<Would you like me to|Do you want me to|Would it help if I|Shall I|Should I|Can I|May I> "
            "<also|> {action}<?| next?| as well?| for you?>",
            "<If you'd like|If you want|If that helps|If useful|If needed|Should you wish>, <I can|I "
            "could|I'm happy to|I'd be glad to|I'll> <also|> {action}<.| next.| too.| as well.>",
            "<Want|Need|Fancy> <me to {action}|a shorter version|a headline too|a second draft|a "
            "follow-up on {topic}><?| - just ask.| - say so.>",
            "<I can|I could|Happy to|Glad to> <easily|quickly|also|> <produce|write|do|put together> <a "
            "longer|a shorter|another|a different|a more detailed|a lighter> <version|take|draft|cut> "
            "<of this|on {topic}|for another audience|if you like><.|!>",
        ],
    },
    "missing_info": {
        "g_material_silent": [
            "<The|These|Those|My> {material} <are quiet|are silent|say little|say nothing|give no "
            "answer|shed no light|leave a gap|offer no detail|stay vague> <on|about|regarding|as to|"
            "when it comes to> {detail}<.|, so I left it out.|, so the story does not say.>",
            "<I|This draft|The article> <could not|couldn't|was unable to|did not manage to> <work "
            "out|establish|find out|confirm|determine|pin down> {wh} <from|using|with|on the basis of> "
            "<the {material}|what I was given|the material I had|what you sent>.",
            "<{Wh}|{Detail}> <is|remains|was> <not covered|not addressed|left unexplained|unanswered|"
            "not given|not stated> <by|in|anywhere in> the {material}.",
            "<Nothing|No part|None> of the {material} <explains|says|gives|states|reveals|addresses> "
            "<{wh}|{detail}>.",
        ],
    },
}
_add_families(META_IDEAS)

# Training-only slot fillers, beside the first 3/4 of each list in SLOTS.
SLOTS_MORE: dict[str, list[str]] = {
    "material": [
        "attached files",
        "clippings",
        "press release",
        "wire copy you pasted",
        "briefing notes",
        "transcripts provided",
        "search snippets",
        "sources in the prompt",
        "excerpts above",
        "documents in the context",
        "notes from the user",
        "retrieved documents",
        *_material_phrases(),
    ],
    "detail": [
        "the exact attendance",
        "the number of arrests",
        "the name of the driver",
        "the closing price",
        "the date of the election",
        "the amount of the settlement",
        "who chaired the meeting",
        "the cause of the outage",
    ],
    "topic": [
        "the rail strike",
        "the flood in Valencia",
        "the tech company's layoffs",
        "the by-election",
        "the cup semi-final",
        "the drought",
    ],
    "slot": [
        "[Insert Name]",
        "[DATE]",
        "[Company]",
        "[Number of attendees]",
        "{{date}}",
        "<NAME>",
        "[XX]",
        "[city name]",
        "[PERSON]",
        "[Organisation]",
        "[#]",
        "{name}",
        "{city}",
        "(insert figure)",
        "(date)",
        "[ADD DATE]",
        "[Position]",
        "[Event]",
        "[Venue]",
        "[insert number]",
        "{{amount}}",
        "<CITY>",
        "[Name of spokesperson]",
        "(TBC)",
    ],
    "action": [
        "shorten the introduction",
        "add a quote from the mayor",
        "write a headline and standfirst",
        "check the figures again",
        "produce a version for radio",
        "add a fact box",
    ],
}

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

# Added with the grammar: news prose on the ground the wider meta-text corpus covers.
HEDGES.update(
    {
        "documents_silent": [
            "The <report|statement|filing|court papers|lawsuit|police report|study|indictment> <did not|does "
            "not|didn't> <say|specify|name|disclose|explain> {wh}.",
            "<The ministry|Officials|The club|The company|Police> <gave|offered|provided> no <details|figure|"
            "explanation|timetable> <for|on|about> {detail}.",
            "<It was|It is> not <known|yet known|immediately known> {wh}.",
        ],
        "apology_news": [
            "<The airline|The company|The club|The minister|The council|The broadcaster> <apologised|has "
            "apologised|said it was sorry|issued an apology> for <the delays|the error|the disruption|any "
            "inconvenience caused|the remarks|the mistake>.",
            "{Person} later <apologised|said sorry|admitted making a mistake> <on social media|in a "
            "statement|to the fans|on {day}>.",
        ],
        "public_advice": [
            "<Residents|Drivers|Passengers|Fans|Visitors> <are advised|have been told|are urged|should> "
            "<to avoid the area|to allow extra time|to check before travelling|to stay indoors|to follow "
            "official advice>.",
            "Anyone with information is <asked|urged|encouraged> to <contact|call> <police|Crimestoppers|"
            "the incident room><.| on 101.| anonymously.>",
            "<More information|Further details|Tickets> <will be|are> available <on the website|from {org}|"
            "next week|online>.",
        ],
        "dated_figures": [
            "<The figures|These numbers|The data|The totals> <are correct|were correct|were accurate> <as "
            "of|at> <{day}|the time of writing|publication|{when}>.",
            "<The list|The table|The ranking|The page> was last updated <in {when}|on {day}>.",
        ],
    }
)
# Added on 2 December 2026: page furniture and process notes of real news (train), and one family
# of newsroom process notes held out with the third set (written before training).
HEDGES.update(
    {
        "page_furniture": [
            "<Match report|Report|Copy|Additional reporting> supplied by <the Press Association|Reuters|"
            "our correspondent|agencies>.",
            "<Click here|Scroll down|Watch the video below|See the gallery below> <for|to see> <the full "
            "results|more pictures|the latest|the video|the full list>.",
            "<Below is|Here is|What follows is> <an edited|a full|a partial> <transcript|version of the "
            "interview|version of the conversation|extract of the speech>.",
            "<Read|See|Watch> <the full statement|the documents|the report|the interview> <here|below|on "
            "our website>.",
        ],
        "process_news": [
            "The <report|study|audit|inquiry> was <compiled|written|produced|drawn up> by <officials|"
            "researchers|the committee|{org}> <using|from|on the basis of> <data|records|interviews> "
            "<from|with|provided by> <{org}|hospitals|local councils>.",
            "<Researchers|Analysts|Investigators|The authors> <said|warned|noted> <the data|the figures|"
            "their findings|the sample> <were|was|is> <limited|incomplete|provisional|preliminary>.",
            "{Org} <said|admitted> it <had not verified|did not check|could not confirm|did not have> "
            "<the figures|the claims|all the details|the full data>.",
        ],
        "newsroom_process": [
            "{Org} did not provide a breakdown of {detail}.",
            "Reporters were not allowed inside the building.",
            "The figures were provided by {org} and have not been audited.",
            "This story will be updated as more information becomes available.",
        ],
        # News on the ground of the families of 7 December 2026: rules and limits in the news (a
        # competition's word limit, a law's deadline), dated data, figures that may change.
        "form_news": [
            "<Entries|Letters|Submissions|Applications|Essays> <must|should|need to> be <no more than|"
            "under|fewer than|at most> <300|500|1,000|2,000> words<.| long.|, organisers said.>",
            "<The|A> <report|inquiry|review|committee|council> <must|should|has to|is required to> "
            "<publish its findings|report back|respond|make a decision> <within|by|before> <30 days|"
            "the end of the year|{day}|March>.",
            "<The|Its> <data|figures|survey|study|records|index> <only|> <cover|covers|run|runs|go|goes> "
            "<up to|until|to the end of> {when}<.|, the report said.| and may be revised.>",
            "<The situation|The death toll|The figures|The numbers|Conditions> <may|could|is likely "
            "to> <change|rise|be revised|shift> <as|when|once> <more information emerges|rescuers reach "
            "the area|counting continues|the investigation goes on>.",
            "<Pupils|Students|Candidates|Players> were told to <keep|write|limit> their <answers|essays|"
            "speeches|statements> <short|under 200 words|to one page|to two minutes>.",
        ],
        # Interview answers printed without quotation marks (sports and features pages often do):
        # a news subject's "I" and "we" talking about intentions, feelings and thanks.
        "speech_unquoted": [
            "<I|We> <intend|want|hope|plan|mean|am determined|are determined> to <keep playing|keep "
            "going|give everything|carry on|fight on|stay here|serve the club|help the team|do my bit> "
            "<for as long as|as long as|while|until> <I|we|my body|the fans> <can|allow it|want me|am "
            "able|are able><.|, and that is all I can say.>",
            "<I|We> <need|have|want|would like> to <say thanks|thank everyone|thank the fans|thank my "
            "family|apologise to the supporters|say sorry to the fans> <for that|for their support|for "
            "everything|after what happened|today><.| .>",
            "<I|We> <can't|cannot|don't|do not> <explain|describe|tell you|put into words> <how|what> <I|"
            "we|it> <feel|felt|means|meant> <right now|today|at the moment|after the game><.|, honestly.>",
            "<It's|It is|That was|This is> <a dream|an honour|a privilege|a proud moment|a tough day> "
            "<for me|for us|for my family|for the club><, and I'm grateful|, and I won't forget it|>.",
        ],
        "reader_furniture": [
            "You can <find|see|watch|read|view|download> <a|an|the> <non-interactive|full|printable|"
            "accessible|text|mobile> <version|list|table|transcript|map|graphic> <of the|of this> "
            "<content|story|page|chart|results|data> <below|here|at the bottom of the page|on our "
            "website>.",
            "<If you are|If you're|For readers> <using|on|reading on> <the app|a mobile device|a phone|"
            "an older browser>, <tap here|click here|scroll down|follow this link> to <see|view|watch> "
            "<the graphic|the video|the interactive map|the full table>.",
            "<Sign up|Subscribe|Register> <for|to> <our newsletter|the daily briefing|alerts|our "
            "podcast> <to get|and get|for> <the latest|stories like this|updates> <in your inbox|every "
            "morning|first>.",
            "<Follow|Join> <us|the conversation|our live coverage> <on Twitter|on Facebook|here|below> "
            "<for the latest|for updates|as it happens>.",
        ],
        # Held out with the fourth set (written before the training of 7 December 2026).
        "newsroom_fourth": [
            "{Org} would not confirm {detail} when asked on {day}.",
            "A spokesperson said {org} does not comment on ongoing investigations.",
            "It is not yet clear whether {clause}, officials said.",
            "The terms were not made public, and {org} declined to elaborate.",
        ],
    }
)
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
    "hedges": ("unverified", "not_clear", "first_person_news", "newsroom_process", "newsroom_fourth"),
}
# The first twelve families above were fixed before the first measurement; HELD_LATER (written with
# the grammar, before training on it) joins them.
HELD_FIRST = {kind: tuple(families) for kind, families in HELD_OUT.items() if kind != "hedges"}
for _kind, _families in HELD_LATER.items():
    HELD_OUT[_kind] = HELD_OUT.get(_kind, ()) + _families
for _kind, _families in HELD_THIRD.items():
    HELD_OUT[_kind] = HELD_OUT.get(_kind, ()) + _families
for _kind, _families in HELD_FOURTH.items():
    HELD_OUT[_kind] = HELD_OUT.get(_kind, ()) + _families


# --- generating ------------------------------------------------------------------------------------


def _fillers(held_out: bool) -> dict[str, list[str]]:
    if held_out:
        return SLOTS
    return {
        name: values[: max(1, len(values) * 3 // 4)] + SLOTS_MORE.get(name, [])
        for name, values in SLOTS.items()
    }


_BRANCHES = re.compile(r"<([^<>]*)>")


def expand(template: str, rng: random.Random) -> str:
    """One reading of a grammar template: each "<a|b|c>" (innermost first) becomes one branch."""
    while True:
        out = _BRANCHES.sub(lambda m: rng.choice(m.group(1).split("|")), template)
        if out == template:
            return out
        template = out


def fill(template: str, rng: random.Random, fillers: dict[str, list[str]]) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        value = rng.choice(fillers[name.lower()])
        return value[0].upper() + value[1:] if name[0].isupper() else value

    text = re.sub(r" +([.,;:!?])", r"\1", " ".join(expand(template, rng).split()))
    text = text[0].upper() + text[1:] if text[0].islower() else text
    return (
        re.sub(r"\{(\w+)\}(?!\})", one, text.replace("{{", "\x00").replace("}}", "\x01"))
        .replace("\x00", "{{")
        .replace("\x01", "}}")
    )


_WORDS = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def _words(text: str) -> list[str]:
    return _WORDS.findall(text.translate(APOSTROPHES).lower())


def protected_grams(families: dict[str, dict[str, list[str]]], extra: list[str]) -> set[tuple[str, ...]]:
    """Every run of four literal words in a held-out template (slots break runs) and in ``extra``."""
    grams: set[tuple[str, ...]] = set()
    pieces = [
        piece
        for kind, by_family in families.items()
        for family, templates in by_family.items()
        if family in HELD_OUT.get(kind, ())
        for template in templates
        for piece in re.split(r"\{\w+\}", template)
    ]
    for piece in pieces + extra:
        words = _words(piece)
        grams.update(zip(words, words[1:], words[2:], words[3:], strict=False))
    return grams


def held_out_skeletons(families: dict[str, dict[str, list[str]]]) -> list[re.Pattern[str]]:
    """Each held-out template as a pattern (any slot filler), for short ones with no four-word run."""
    return [
        re.compile(
            r"\W+".join(r"\b" + re.escape(w) + r"\b" if w != "\x00" else ".+?" for w in _skeleton(template)),
            re.IGNORECASE,
        )
        for kind, by_family in families.items()
        for family, templates in by_family.items()
        if family in HELD_OUT.get(kind, ())
        for template in templates
    ]


def _skeleton(template: str) -> list[str]:
    return [
        w
        for piece in re.split(r"(\{\w+\})", template)
        for w in (["\x00"] if piece.startswith("{") else _words(piece))
    ]


def unseen_test_sentences() -> list[str]:
    """The meta-text sentences tests/test_machine_text_classifier.py keeps unseen, when present."""
    path = Path(__file__).resolve().parent.parent / "tests" / "test_machine_text_classifier.py"
    if not path.exists():
        return []
    import ast

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Assign) and any(
            getattr(t, "id", "") == "UNSEEN_META_TEXT" for t in node.targets
        ):
            return [ast.literal_eval(e) for e in node.value.elts]  # type: ignore[attr-defined]
    return []


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
    """(kind, family, sentence) for the held-out families (or the others), ``per_family`` each
    (grammar families, with far more readings, ``GRAMMAR_SCALE`` times that). No training sentence
    shares four words in a row with a held-out template or an unseen test sentence, nor reads as a
    held-out template with other fillers."""
    grams: set[tuple[str, ...]] = set()
    skeletons: list[re.Pattern[str]] = []
    if not held_out:
        grams = protected_grams(families, unseen_test_sentences())
        skeletons = held_out_skeletons(families)
    for kind, by_family in families.items():
        chosen = HELD_OUT.get(kind, ())
        for family, templates in by_family.items():
            if (family in chosen) != held_out:
                continue
            rng = random.Random(f"{seed}/{kind}/{family}")
            fillers = _fillers(held_out)
            wanted = per_family * (GRAMMAR_SCALE if family.startswith("g_") else 1)
            seen: set[str] = set()
            for _ in range(wanted * 4):
                sentence = vary(
                    fill(rng.choice(templates), rng, fillers), rng, leads=families is not HEDGE_KINDS
                )
                if sentence in seen:
                    continue
                seen.add(sentence)
                words = _words(sentence)
                if grams and not grams.isdisjoint(zip(words, words[1:], words[2:], words[3:], strict=False)):
                    continue
                if any(skeleton.search(sentence) for skeleton in skeletons):
                    continue
                yield kind, family, sentence
                wanted -= 1
                if wanted <= 0:
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
    return SentenceClassifier(weights, bias, 0.0, empty, empty, empty, 0.0, 0.0).ngram_logits(sentences)


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


def fit_head(
    vectors: np.ndarray,
    logits: np.ndarray,
    shapes: np.ndarray,
    labels: np.ndarray,
    hidden: int,
    alpha: float,
    members: int = 1,
    negative_weight: int = 1,
) -> dict:
    """The second step: one hidden ReLU layer over the embedding, the first step's logit and the
    sentence's shape. ``members`` networks (other seeds) are averaged, which is one network with
    their hidden units side by side; negatives count ``negative_weight`` times (repeated), as the
    threshold lives in the news scores' far tail."""
    from sklearn.neural_network import MLPClassifier

    inputs = np.hstack([vectors, logits.reshape(-1, 1) / LOGIT_SCALE, shapes])
    rows = np.concatenate([np.arange(len(labels))] + [np.flatnonzero(labels == 0)] * (negative_weight - 1))
    parts = []
    for member in range(members):
        model = MLPClassifier((hidden,), alpha=alpha, max_iter=300, random_state=SEED + member)
        model.fit(inputs[rows], labels[rows])
        parts.append(model)
    return {
        "hidden_weights": np.hstack([m.coefs_[0] for m in parts]).astype(np.float16).astype(np.float32),
        "hidden_bias": np.concatenate([m.intercepts_[0] for m in parts]).astype(np.float32),
        "head_weights": np.concatenate([m.coefs_[1][:, 0] for m in parts]).astype(np.float32) / members,
        "head_bias": float(np.mean([m.intercepts_[1][0] for m in parts])),
    }


def pick_threshold(news_logits: np.ndarray) -> float:
    """The lowest logit threshold that flags at most MAX_FP_PER_10K of these news logits, at least 0."""
    allowed = int(len(news_logits) * MAX_FP_PER_10K / 10_000)
    ordered = np.sort(news_logits)[::-1]
    threshold = float(ordered[allowed]) + 1e-3 if len(ordered) > allowed else 0.0
    return max(threshold, 0.0)


_HEDGE_WORDS = re.compile(
    r"declined to comment|could not be reached|did not immediately respond|not disclosed|"
    r"it is not clear whether|it is unclear|could not (?:be )?independently (?:verif|confirm)",
    re.IGNORECASE,
)


def _set_of(name: str) -> str:
    kind, family = name.split("/")
    if family in HELD_FIRST.get(kind, ()):
        return "first"
    if family in HELD_THIRD.get(kind, ()):
        return "third"
    return "fourth" if family in HELD_FOURTH.get(kind, ()) else "later"


def _recall_of(by_family: dict[str, list[bool]], which: str) -> float:
    """Recall over one set of held-out families: "first" (twelve), "later", "third" or "fourth"."""
    hits = [hit for name, flags in by_family.items() if _set_of(name) == which for hit in flags]
    return round(float(np.mean(hits)), 4) if hits else float("nan")


def measure(classifier: SentenceClassifier, encoder, held_meta, held_hedges, test_news: list[str]) -> dict:
    """Recall on the held-out families; false hits on test-side news and held-out hedges."""
    flagged_meta = classifier.flags([s for _, _, s in held_meta], encoder)
    by_kind: dict[str, list[bool]] = {}
    by_family: dict[str, list[bool]] = {}
    for (kind, family, _), hit in zip(held_meta, flagged_meta, strict=True):
        by_kind.setdefault(kind, []).append(bool(hit))
        by_family.setdefault(f"{kind}/{family}", []).append(bool(hit))
    news_scores = classifier.logits(test_news, encoder)
    news_hits = [
        (round(float(s), 3), t)
        for s, t in zip(news_scores, test_news, strict=True)
        if s >= classifier.threshold_logit
    ]
    passed = int((1 / (1 + np.exp(-classifier.ngram_logits(test_news))) >= classifier.gate).sum())
    hedge_flags = classifier.flags([s for _, _, s in held_hedges], encoder)
    real_hedges = [s for s in test_news if _HEDGE_WORDS.search(s)]
    return {
        "held_out_families": sorted(by_family),
        "held_out_sentences": len(held_meta),
        "held_out_recall": round(float(np.mean(flagged_meta)), 4),
        "held_out_recall_first_set": _recall_of(by_family, "first"),
        "held_out_recall_later_set": _recall_of(by_family, "later"),
        "held_out_recall_third_set": _recall_of(by_family, "third"),
        "held_out_recall_fourth_set": _recall_of(by_family, "fourth"),
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
    parser.add_argument("--hidden", type=int, default=96, help="hidden units of each second-step network")
    parser.add_argument("--alpha", type=float, default=3e-3, help="L2 strength of the second step")
    parser.add_argument("--members", type=int, default=4, help="networks averaged in the second step")
    parser.add_argument(
        "--negative-weight", type=int, default=8, help="times each negative counts, second step"
    )
    parser.add_argument(
        "--train-gate",
        type=float,
        default=0.1,
        help="first-step probability for a news sentence to train the head",
    )
    parser.add_argument(
        "--gate", type=float, default=0.3, help="first-step probability to reach the head at run time"
    )
    parser.add_argument(
        "--folds", type=int, default=5, help="folds that score the fitting news for the threshold"
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
    head_shapes = shape(head_texts)
    options = {"members": args.members, "negative_weight": args.negative_weight}
    head = fit_head(head_vectors, head_logits, head_shapes, labels, args.hidden, args.alpha, **options)

    # The threshold: at most MAX_FP_PER_10K of all train-side news, the tuning part scored by the
    # model and the fitting part scored out of fold (heads fitted on the other folds of the
    # examples). With two folds each such head learned from half the examples and scored the news
    # tail far higher than the full head does (threshold 12.9 against a highest tuning-news logit
    # of 7.7), which cost recall for nothing; five folds give heads closer to the one shipped.
    tuning = SentenceClassifier(weights, bias, args.gate, threshold_logit=0.0, **head)
    order = np.arange(len(head_texts))
    past_gate = (labels == 0) & (head_logits >= run_gate_logit)
    pool = [
        tuning.logits(news["train_tune"], embeddings),
        np.full(len(negatives) - int(past_gate.sum()), -np.inf),  # stopped by the first step
    ]
    pool_texts = news["train_tune"] + [""] * len(pool[1])
    for fold in range(args.folds):
        train = order % args.folds != fold
        half = fit_head(
            head_vectors[train],
            head_logits[train],
            head_shapes[train],
            labels[train],
            args.hidden,
            args.alpha,
            **options,
        )
        other = ~train & past_gate
        held = SentenceClassifier(weights, bias, args.gate, threshold_logit=0.0, **half)
        pool.append(held.head_logits(head_vectors[other], head_logits[other], head_shapes[other]))
        pool_texts += [head_texts[i] for i in np.flatnonzero(other)]
    pooled = np.concatenate(pool)
    threshold = pick_threshold(pooled)
    top = np.argsort(pooled)[::-1][:8]
    print(
        f"highest train-side news: {[(round(float(pooled[i]), 2), pool_texts[i]) for i in top]}", flush=True
    )
    classifier = SentenceClassifier(weights, bias, args.gate, threshold_logit=threshold, **head)
    tune_recall = float(np.mean(classifier.flags([s for _, _, s in tune_meta], embeddings)))
    tune_fp = int(classifier.flags(news["train_tune"], embeddings).sum())
    print(
        f"threshold logit {threshold:.3f}; tuning: recall {tune_recall:.4f}, news flagged {tune_fp}",
        flush=True,
    )
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
        "for sentences past its gate, one hidden layer (networks averaged) over the embedder's "
        "sentence vector, "
        "that score and a few shape cues",
        "file": MODEL_FILE,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "bytes": path.stat().st_size,
        "dimension": DIMENSION,
        "gate": args.gate,
        "train_gate": args.train_gate,
        "threshold_logit": round(threshold, 3),
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
            "members": args.members,
            "negative_weight": args.negative_weight,
            "folds": args.folds,
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

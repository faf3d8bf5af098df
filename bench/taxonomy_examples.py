"""Taxonomy examples written by hand, as a team writes them (three per theme), for the taxonomy benchmarks.

Written for the benchmark before any run on them and without reading the sets' rows: short, plain
phrasings of each label as a person who knows the complaint would put it. Keys are the labels of
``bench/lodo_data.py``; ten labels per intent set, every label of SemEval restaurants, six of SemEval
laptops. Used by ``bench/taxonomy_handwritten.py`` (its first nine themes) and
``bench/taxonomy_cap.py``.
"""

from __future__ import annotations

import numpy as np

HANDWRITTEN: dict[str, dict[str, list[str]]] = {
    "clinc-banking": {
        "card_declined": ["my card got declined in a shop", "payment refused at the till", "card was rejected online"],
        "report_lost_card": ["I lost my credit card", "my card is missing", "can't find my bank card anywhere"],
        "pin_change": ["how do I change my PIN", "I want a new pin number", "reset the pin on my card"],
        "balance": ["how much money is in my account", "check my balance", "what's left in my checking account"],
        "transfer": ["send money to my savings", "move funds between accounts", "transfer cash to my friend"],
        "freeze_account": ["lock my account please", "put a hold on my account", "block my account right now"],
        "credit_score": ["what is my credit score", "check my credit rating", "how good is my credit"],
        "interest_rate": ["what interest do I get", "rate on my savings account", "how much interest does the bank pay"],
        "bill_due": ["when is my bill due", "due date of my electricity bill", "when do I have to pay the phone bill"],
        "report_fraud": ["someone used my card without permission", "there is a charge I didn't make",
                         "I think my account was hacked"],
    },
    "clinc-other": {
        "book_flight": ["book me a flight to Paris", "I need a plane ticket", "reserve a flight for Friday"],
        "weather": ["is it going to rain", "what's the weather today", "how hot will it be tomorrow"],
        "lost_luggage": ["the airline lost my suitcase", "my bag never arrived", "where is my luggage"],
        "restaurant_reservation": ["book a table for two tonight", "reserve a table at the italian place",
                                   "get us a dinner reservation"],
        "translate": ["how do you say hello in Spanish", "translate this to French", "what does this mean in German"],
        "tire_pressure": ["are my tires low", "check the tire pressure", "do my tyres need air"],
        "pto_balance": ["how many vacation days do I have left", "my remaining time off", "how much PTO is left"],
        "tell_joke": ["tell me something funny", "make me laugh", "know any good jokes"],
        "timer": ["set a timer for ten minutes", "start a countdown", "time 5 minutes for the eggs"],
        "shopping_list": ["what's on my shopping list", "read my grocery list", "show the things I need to buy"],
    },
    "hwu64": {
        "alarm_set": ["wake me up at 7", "set an alarm for tomorrow morning", "alarm at six please"],
        "weather_query": ["will it rain today", "what's the weather like", "is it cold outside"],
        "play_music": ["play some jazz", "put on my favourite song", "start the music"],
        "iot_hue_lightoff": ["turn off the lights", "switch the bedroom light off", "lights off please"],
        "email_sendemail": ["send an email to my boss", "write a mail to John", "email the report to the team"],
        "calendar_set": ["add a meeting to my calendar", "put the dentist on Tuesday", "schedule lunch with Anna"],
        "takeaway_order": ["order a pizza for delivery", "get me some chinese takeaway", "order food from the thai place"],
        "transport_taxi": ["call me a cab", "book a taxi to the airport", "I need a ride downtown"],
        "news_query": ["what's in the news", "latest headlines please", "tell me today's news"],
        "cooking_recipe": ["how do I make pancakes", "recipe for lasagna", "how to cook rice"],
    },
    "bitext-service": {
        "cancel_order": ["I want to cancel my order", "please cancel the purchase I made", "stop my order"],
        "track_refund": ["where is my refund", "when will I get my money back", "refund status please"],
        "delivery_options": ["what shipping options do you have", "can you deliver express", "delivery methods available"],
        "recover_password": ["I forgot my password", "can't log in, need to reset password", "recover my account password"],
        "payment_issue": ["my payment didn't go through", "problem paying for my order", "the card payment failed"],
        "change_shipping_address": ["update my delivery address", "ship it to a different address",
                                    "I moved, change the address"],
        "contact_human_agent": ["let me talk to a real person", "I want a human agent", "connect me to an operator"],
        "delete_account": ["close my account", "delete my profile", "I want to remove my account"],
        "get_invoice": ["send me the invoice", "I need a receipt for my purchase", "download my bill"],
        "complaint": ["I want to file a complaint", "I'm unhappy with the service", "how do I complain"],
    },
    "absa-restaurants": {
        "food": ["the food was delicious", "pasta was bland", "great sushi"],
        "service": ["the waiter was rude", "staff were friendly", "we waited forever to be served"],
        "ambience": ["nice cozy atmosphere", "too loud inside", "lovely decor"],
        "price": ["way too expensive", "good value for money", "prices are reasonable"],
    },
    "absa-laptops": {
        "BATTERY#OPERATION_PERFORMANCE": ["battery dies quickly", "battery lasts all day", "poor battery life"],
        "DISPLAY#QUALITY": ["the screen is sharp", "display looks washed out", "great bright screen"],
        "KEYBOARD#DESIGN_FEATURES": ["keyboard is comfortable to type on", "keys feel cheap", "backlit keyboard is nice"],
        "LAPTOP#PRICE": ["good laptop for the price", "overpriced computer", "cheap and worth it"],
        "OS#GENERAL": ["Windows is annoying", "I love macOS", "the operating system is fine"],
        "SUPPORT#QUALITY": ["customer support was useless", "tech support fixed it quickly",
                            "warranty service was terrible"],
    },
}


def raw_phrases(themes: dict[str, list[str]], model_name: str = "default") -> tuple[np.ndarray, np.ndarray]:
    """Each theme's readable name and examples embedded in one call (``model_name``, cached on disk), and the
    theme index of each phrase. Prepare them with each fitted model's ``_prepare`` (language centring)."""
    from bench.taxonomy_lodo import readable
    from bench.themes import embed

    phrases, owner = [], []
    for t, label in enumerate(themes):
        phrases += [readable(label), *themes[label]]
        owner += [t] * (1 + len(themes[label]))
    return embed(phrases, model_name).astype(np.float64), np.asarray(owner)

"""Build ``model/tables/events.csv`` from the reference timeline of access restrictions.

This is a maintainer's script, run by hand when the timeline or the curation changes::

    .venv/bin/python data/build_events.py ../shared/reference

It reads ``genai_access_restrictions_2023_2026.csv`` (34 dated events with sources and a
confidence note each) and merges every row with the hand-written curation below
(:data:`CURATION`): a plain-language label, the product family, the model's kind, the
status read from the confidence note, and, for events with a mechanism, the share and
substitution values with their ranges and a one-line rationale. Whether a row counts in
losses, and why not, follows from the curated fields by the rules in :func:`_inclusion`.

All 34 rows are kept, so the timeline shows them all. The product never runs this script
and never reads ``../shared``; ``tests/test_events_data.py`` rebuilds the table and checks
that the shipped file is identical, byte for byte.

Date convention: the reference gives days (``YYYY-MM-DD``) or, where only the month is
known, ``YYYY-MM``; a month-level date is read as the 1st of that month and flagged
``month`` in ``start_precision`` / ``end_precision``. ``end_date`` is the day the product
became available in (or was restored to) the hit countries, so the restriction covers the
days ``start_date`` to ``end_date - 1``.

Share and substitution values are JUDGEMENT. For the eight events with a suggested range in
``../shared/research/restriction-evidence.md`` (Part 2, "judgement built on the cited
figures") those ranges are used as they stand (converted to per cent); the others are this
curation's judgement, each with its basis in ``rationale``. See ``data/README.md``.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pandas as pd

REFERENCE_FILE = "genai_access_restrictions_2023_2026.csv"
OUT = Path(__file__).resolve().parent.parent / "model" / "tables" / "events.csv"

MECHANISM_KINDS = ("outage", "delay", "withheld")

COLUMNS = [
    "id", "label", "product", "vendor", "product_family", "countries", "reference_jurisdiction",
    "kind", "reference_kind", "start_date", "start_precision", "end_date", "end_precision",
    "status", "status_basis", "assumed_end_date",
    "share_pct", "share_low_pct", "share_high_pct",
    "substitution_pct", "substitution_low_pct", "substitution_high_pct",
    "distribution", "common_factor", "judgement", "rationale", "value_sources",
    "caused_by", "included", "exclusion_reason",
    "confidence_level", "confidence", "stated_reason", "sources",
]

# Source of the eight suggested ranges used as they stand.
PART2 = "suggested range of restriction-evidence.md Part 2, itself judgement on cited figures"

# ---------------------------------------------------------------------------------------
# The curation: one entry per reference id. Keys:
#   label            plain-language one-liner
#   family           product_family (successive versions of one product; shares do not add)
#   status           ended | in_force_verified | end_unknown, read from the confidence note
#   status_basis     the words of the note the status rests on
#   level            confidence level read from the note: high | medium | low
#   kind             (optional) override of the kind mapped from the reference kind
#   countries        (optional) override of the reference jurisdiction (only where it is prose)
#   caused_by        (optional) id of the row this one is a consequence of
#   assumed_end      (optional) ISO date assumed as the end of an end_unknown row (none so far)
#   values           (share low, central, high, substitution low, central, high) in %, or None
#   common_factor    vendor whose Monte Carlo draws share a common factor (rows with values)
#   rationale        one line for share and substitution, with the basis
#   value_sources    URLs of the figures the values rest on (from restriction-evidence.md)
#   note             (optional) a further reason to leave the row out of losses
# ---------------------------------------------------------------------------------------
CURATION: dict[str, dict] = {
    "ita-garante-replika-block-2023": dict(
        label="Italy's data-protection authority blocks the Replika companion chatbot",
        family="replika", status="end_unknown", level="medium",
        status_basis="'End date NOT verified ... whether/when the processing limitation was lifted is not established'",
        note="a niche companion chatbot; no share figure in the evidence",
    ),
    "ita-garante-chatgpt-ban-2023": dict(
        label="Italy's data-protection authority blocks ChatGPT for four weeks",
        family="chatgpt", status="ended", level="high",
        status_basis="'Access restored 28 Apr 2023' (second check confirmed)",
        values=(40, 60, 80, 40, 65, 85), common_factor="openai",
        rationale=(f"Judgement ({PART2}). Share: ChatGPT ~60% of top-50 gen-AI web traffic (a16z, Jun 2023), "
                   "Bard and Claude absent from Italy, API/Azure/Copilot not blocked. Substitution: VPN installs up "
                   "4-5x (Atlas VPN), GitHub output dip of 1-2 days then recovery (Kreitmeir & Raschky v1, withdrawn; "
                   "v2 finds no average loss), -6.4% developer productivity (Bonabi et al. 2025), Bing Chat available. "
                   "The order is dated 30 Mar; the geo-block began 31 Mar/1 Apr"),
        value_sources=("https://a16z.com/how-are-consumers-using-generative-ai/ | "
                       "https://atlasvpn.com/blog/vpn-downloads-in-italy-skyrocket-by-400-after-chatgpt-block | "
                       "https://arxiv.org/html/2403.01964v2 | https://www.emergentmind.com/papers/2506.22704"),
    ),
    "google-bard-eu-launch-delay-2023": dict(
        label="Google Bard reaches the EU about four months after the US and UK",
        family="google-gemini", status="ended", level="high",
        status_basis="'date_end verified (13 Jul 2023)' (second check confirmed)",
        values=(2, 4, 8, 75, 90, 97), common_factor="google",
        rationale=(f"Judgement ({PART2}). Share: Bard 139m vs ChatGPT 1.58bn monthly visits, ~8% of the pair "
                   "(Similarweb via trendlinehq, Jun 2023), chat ~60-85% of 2023 value. Substitution: free ChatGPT and "
                   "Bing Chat available in the EU throughout"),
        value_sources="https://www.trendlinehq.com/p/chatgpt-vs-google-bard",
    ),
    "ms-copilot-windows-eea-2023": dict(
        label="Copilot in Windows withheld from the EEA under the DMA",
        family="microsoft-copilot-windows", status="end_unknown", level="medium",
        status_basis="'End date NOT found in sources ... the EEA may never have received this feature'",
    ),
    "ms-copilot-vision-windows-eu-2025": dict(
        label="Copilot Vision on Windows reportedly withheld from the EU",
        family="microsoft-copilot-vision", status="end_unknown", level="low",
        status_basis="'LOW: single secondary blog ... no end date found'",
    ),
    "chatgpt-memory-eu-delay-2024": dict(
        label="ChatGPT's memory feature reportedly held back in Europe",
        family="chatgpt-memory", status="end_unknown", level="low",
        status_basis="'LOW-MEDIUM ... EU availability dates not verified'",
    ),
    "claude-ai-eu-launch-delay-2024": dict(
        label="Anthropic's Claude.ai reaches the EU about ten months after the US and UK",
        family="claude", status="ended", level="high",
        status_basis="'Claude is now available in Europe' dated 14 May 2024 (second check confirmed)",
        values=(0.5, 2, 6, 80, 90, 97), common_factor="anthropic",
        rationale=(f"Judgement ({PART2}). Share: Claude.ai ~0.7% of ChatGPT web visits (Semrush, Feb 2024); the high "
                   "end assumes EU firms also lacked the API (not verified; Anthropic 12% of US-centric enterprise LLM "
                   "use in 2023, Menlo). Substitution: GPT-4 widely available, enterprises multi-home"),
        value_sources=("https://andrewcheung.medium.com/over-477k-votes-and-claude-3-opus-has-surpassed-gpt-4-86303e3ed485 | "
                       "https://menlovc.com/2024-the-state-of-generative-ai-in-the-enterprise/"),
    ),
    "gemini-app-eu-delay-2024": dict(
        label="Google's Gemini mobile app reaches the EU about four months late",
        family="google-gemini", status="ended", level="medium",
        status_basis="'EU rollout first week of June 2024' (week-level, low-quality mirror; month-level end)",
        values=(0.3, 1, 3, 85, 95, 99), common_factor="google",
        rationale=("Judgement (no Part 2 range). Share: Gemini ~5-6% of chatbot web traffic in Dec 2024/Jan 2025 and "
                   "less in early 2024 (Similarweb via relays); only the mobile app was withheld. Substitution: Gemini on "
                   "the web stayed available in the EU throughout, as did ChatGPT"),
        value_sources=("https://probsee.com/p/2026_Similarweb_Global_AI_Tracker | "
                       "https://www.electionseneurope.net/lapplication-gemini-est-desormais-disponible-dans-plus-de-150-pays-mais-aucun-dans-lue/"),
    ),
    "meta-ai-training-pause-eu-2024": dict(
        label="Meta pauses training its models on EU users' public posts at the Irish regulator's request",
        family="meta-training-data", status="ended", level="high",
        status_basis="'training began 27 May 2025 (DPC statement)'",
        note=("its effect on users is the later Meta AI EU launch, counted once under meta-ai-assistant-eu-delay "
              "(which began before the pause, so it is not itself only a consequence)"),
    ),
    "apple-intelligence-eu-iphone-delay": dict(
        label="Apple Intelligence on iPhone and iPad reaches the EU five months after the US (DMA)",
        family="apple-intelligence", status="ended", level="high",
        status_basis="'EU iPhones got it with iOS 18.4 on Monday 31 Mar 2025' (second check)",
        values=(0.2, 0.8, 2.5, 80, 90, 97), common_factor="apple",
        rationale=(f"Judgement ({PART2}). Share: <10% of iPhones capable (Bloomberg) x iPhone ~22-30% of European "
                   "shipments (Canalys, Counterpoint) = 2-4% of EU phones; 73% of US users saw little or no value "
                   "(SellCell). Substitution: available on EU Macs; the ChatGPT app and others cover writing and chat"),
        value_sources=("https://qz.com/apple-iphone-16-intelligence-ai-event-morningstar-1851639620 | "
                       "https://www.mactech.com/2024/06/06/iphones-sales-in-europe-excluding-russia-shrinks-17-year-over-year-in-quarter-one/ | "
                       "https://www.macrumors.com/2024/12/16/survey-users-uninterested-in-apple-intelligence/"),
    ),
    "meta-multimodal-llama-eu-withheld-2024": dict(
        label="Meta's Llama 3.2 vision models not licensed to EU-based developers and firms",
        family="llama-multimodal", status="in_force_verified", level="high",
        status_basis="'clause confirmed in Meta's llama-models repository copy dated 15 Jul 2025 ... in force as of July 2025'",
        values=(0.1, 0.5, 3, 85, 95, 99), common_factor="meta",
        rationale=(f"Judgement ({PART2}). Share: open-weight 19%->11% of enterprise LLM use, Llama 9% (Menlo), mostly "
                   "text Llama 3.x which stays licensed; Llama 3% of HF downloads. Substitution: end users exempt, non-EU "
                   "providers may serve EU users, other open multimodal models (Mistral, Qwen, Gemma) usable"),
        value_sources=("https://menlovc.com/perspective/2025-mid-year-llm-market-update/ | "
                       "https://huggingface.co/organizations/testifly/activity/all | https://www.llama.com/llama3_2/use-policy/"),
    ),
    "meta-llama4-eu-exclusion-2025": dict(
        label="Meta's Llama 4 models (all multimodal) not licensed to EU-based developers and firms",
        family="llama-multimodal", status="in_force_verified", level="high",
        status_basis=("'In force as far as sources show'; the Llama 3.2 second check found the clause for Llama 4 in "
                      "Meta's repository copy dated 15 Jul 2025"),
        values=(0.1, 0.5, 3, 85, 95, 99), common_factor="meta",
        rationale=(f"Judgement ({PART2}): the same range as Llama 3.2, whose high end already counts Llama 4 (wholly "
                   "multimodal); one product family with Llama 3.2, so the two shares do not add"),
        value_sources=("https://menlovc.com/perspective/2025-mid-year-llm-market-update/ | "
                       "https://www.llama.com/llama4/use-policy/"),
    ),
    "openai-advanced-voice-eu-delay-2024": dict(
        label="ChatGPT Advanced Voice reaches Europe about four weeks after the rest of the world",
        family="chatgpt-advanced-voice", status="ended", level="medium",
        status_basis="'end found, MEDIUM: available to Plus users in the EU around 22 Oct 2024'",
        values=(0.2, 1, 3, 70, 85, 95), common_factor="openai",
        rationale=(f"Judgement ({PART2}). Share: ChatGPT ~85-87% of chatbot web traffic in late 2024, but Advanced Voice "
                   "was for paying Plus/Team users only (~5% of weekly users paid, FT via relay). Substitution: standard "
                   "voice and text stayed available; ~1-month delay. The UK got it before the EU (end date is the EU's)"),
        value_sources=("https://www.capitalaidaily.com/gen-ai-shifts-from-monopoly-to-multi-platform-competition-as-chatgpt-dominance-fades-similarweb-data-shows | "
                       "https://blog.regaldi.ai/?p=3801"),
    ),
    "openai-sora-eu-delay-2024": dict(
        label="OpenAI's Sora video generator reaches Europe and the UK about 11 weeks late",
        family="openai-sora", status="ended", level="high",
        status_basis="'OpenAI announced Sora for the EEA, Switzerland and the UK on 28 Feb 2025' (second check)",
        values=(0.05, 0.2, 1, 60, 80, 95), common_factor="openai",
        rationale=(f"Judgement ({PART2}). Share: Sora was Plus/Pro-only; the later Sora app drew ~$1.4m consumer spend in "
                   "~4 months vs OpenAI ~$13bn 2025 revenue (a16z, relay; no URL in the evidence file). Substitution: "
                   "other video generators exist (EU availability not checked)"),
        value_sources="https://www.punto-informatico.it/sora-italia/ | https://blog.regaldi.ai/?p=3801",
    ),
    "openai-operator-eu-delay-2025": dict(
        label="OpenAI's Operator agent reportedly not offered in Europe (unconfirmed)",
        family="openai-operator", status="end_unknown", level="low",
        status_basis="'LOW / UNVERIFIED ... EU availability date not found'",
    ),
    "meta-ai-assistant-eu-delay": dict(
        label="Meta AI assistant reaches the EU about 18 months after the US",
        family="meta-ai", status="ended", level="high",
        status_basis="'EU rollout from Thu 20 Mar 2025' (second check: Euronews)",
        values=(1, 3, 8, 75, 90, 97), common_factor="meta",
        rationale=(f"Judgement ({PART2}). Share: 500-700m claimed MAU but low intensity, 130m web visits/yr vs 46.6bn for "
                   "ChatGPT (OneLittleWeb), ~775k app DAU (Similarweb); high end for WhatsApp reach in the EU. "
                   "Substitution: free ChatGPT, Gemini and Copilot available. From Jun 2024 the delay follows Meta's "
                   "training pause, which is not counted separately"),
        value_sources=("https://www.rivista.ai/2025/09/06/infografica-chatgpt-e-il-dominio-assoluto-la-distanza-che-il-mercato-dei-chatbot-non-riesce-a-colmare | "
                       "https://tech-canvas.jp/?p=2820"),
    ),
    "meta-ai-eu-image-features-withheld-2025": dict(
        label="Meta AI's image and photo features left out of its EU launch",
        family="meta-ai", status="end_unknown", level="medium",
        status_basis="'MEDIUM ... End date not found'",
        caused_by="meta-ai-training-pause-eu-2024",
    ),
    "google-ai-overviews-eu8-delay": dict(
        label="Google's AI Overviews in Search reach eight EU states about ten months after the US",
        family="google-ai-overviews", status="ended", level="high",
        status_basis="'launched 26 Mar 2025 in these 8 EU states plus Switzerland (numerama)' (second check)",
        values=(0.5, 2, 6, 75, 90, 97), common_factor="google",
        rationale=("Judgement (no Part 2 range, no usage figure in the evidence): set like Meta AI, an embedded feature "
                   "with wide reach and low intensity (Part 2 note 4: traffic shares understate embedded assistants). "
                   "Substitution: classic Search, Gemini and ChatGPT stayed available"),
        value_sources="",
    ),
    "google-ai-overviews-fra-delay": dict(
        label="Google's AI Overviews in Search still not offered in France",
        family="google-ai-overviews", status="in_force_verified", level="high",
        status_basis="'France still excluded on 22 May 2025 and on 8 Oct 2025 (bfmtv.com)' (second check)",
        values=(0.5, 2, 6, 75, 90, 97), common_factor="google",
        rationale=("Judgement (no Part 2 range, no usage figure in the evidence): as for the eight states that got it in "
                   "Mar 2025 (an embedded feature with wide reach and low intensity); classic Search, Gemini and ChatGPT "
                   "available"),
        value_sources="",
    ),
    "xai-grok-training-eu-pause-2024": dict(
        label="X stops training Grok on EU users' posts after the Irish regulator goes to court",
        family="grok-training-data", status="in_force_verified", level="high",
        status_basis="'made permanent when proceedings struck out 4 Sep 2024. No end (permanent undertaking)'",
        note="the Grok chatbot itself stayed available in the EU",
    ),
    "linkedin-genai-training-pause-eu-2024": dict(
        label="LinkedIn does not train its AI on European and UK members' data for 13 months",
        family="linkedin-training-data", status="ended", level="high",
        status_basis="'resumed with opt-out (legitimate interests) effective 3 Nov 2025'",
    ),
    "ita-garante-deepseek-block-2025": dict(
        label="Italy's data-protection authority blocks the DeepSeek app",
        family="deepseek", status="end_unknown", level="high",
        status_basis="'No lifting found; treat as in force as far as sources show' (no dated check that it still holds)",
    ),
    "deu-berlin-dpa-deepseek-dsa-notice-2025": dict(
        label="Berlin's data-protection commissioner asks Apple and Google to delist DeepSeek",
        family="deepseek", kind="removal_request", status="end_unknown", level="high",
        status_basis="'a removal request, not a confirmed block: outcome ... not found'",
    ),
    "apple-airpods-live-translation-eu-2025": dict(
        label="Apple's AirPods Live Translation withheld from EU accounts (DMA)",
        family="apple-intelligence", status="end_unknown", level="medium",
        status_basis="'EU availability later not verified ... date_end blank'",
    ),
    "ita-garante-clothoff-block-2025": dict(
        label="Italy's data-protection authority blocks the Clothoff 'nudify' app",
        family="clothoff", status="end_unknown", level="high",
        status_basis="'Verified (provvedimento n. 574 of 1 Oct 2025)'; nothing on whether it still holds",
        note="a harmful-use block ('include only if the model covers harmful-use blocks'; it does not)",
    ),
    "google-gemini-personal-intelligence-eea-2026": dict(
        label="Gemini 'Personal Intelligence' withheld from the EEA, Switzerland and the UK",
        family="gemini-personal-intelligence", status="in_force_verified", level="medium",
        status_basis="'global expansion 14 Apr 2026 explicitly excluding EEA, Switzerland, UK ... In force as of Apr 2026'",
        values=(0.05, 0.3, 1, 70, 85, 95), common_factor="google",
        rationale=("Judgement (no Part 2 range): one feature of Gemini (Gemini ~18-21% of chatbot web traffic at end 2025, "
                   "Similarweb via relays), connecting it to Gmail, Photos and other Google data. Substitution: Gemini "
                   "itself and other assistants stay available"),
        value_sources=("https://www.capitalaidaily.com/gen-ai-shifts-from-monopoly-to-multi-platform-competition-as-chatgpt-dominance-fades-similarweb-data-shows"),
    ),
    "openai-sora-app-not-in-eu-2025": dict(
        label="OpenAI's Sora 2 app not yet launched in the EU (staged rollout)",
        family="openai-sora", status="end_unknown", level="low",
        status_basis="'LOW-MEDIUM ... EU availability date not found'",
        note="not clearly an EU-targeted restriction (staged rollout)",
    ),
    "chn-chatgpt-blocked": dict(
        label="ChatGPT not available in China; regulators tell platforms not to offer it",
        family="chatgpt", kind="withheld", status="in_force_verified", level="medium",
        status_basis="'ChatGPT was never officially available in China' (MEDIUM; not a dated formal ban, month-level start)",
        values=(5, 20, 40, 50, 75, 90), common_factor="openai",
        rationale=("Judgement (no China figure in the evidence): ChatGPT ~60-87% of chatbot web traffic worldwide "
                   "(Similarweb via relays) cut to a fifth for China's large domestic assistants. Substitution: domestic "
                   "models and VPN use. Kind 'withheld': never offered, so there was no service to black out"),
        value_sources=("https://www.capitalaidaily.com/gen-ai-shifts-from-monopoly-to-multi-platform-competition-as-chatgpt-dominance-fades-similarweb-data-shows"),
    ),
    "openai-api-block-china-2024": dict(
        label="OpenAI blocks API traffic from China",
        family="openai-api", status="end_unknown", level="high",
        status_basis="'Verified announcement (... blocking from 9 Jul 2024)'; nothing on whether it still holds",
    ),
    "us-bis-advanced-chip-controls-2022": dict(
        label="US export controls on advanced AI chips and chipmaking tools to China",
        family="us-ai-chip-controls", status="in_force_verified", level="high",
        status_basis="'Still in force (with later changes not tracked here)'",
        note="restricts compute, an input to many products, not a product's share of AI value",
    ),
    "us-bis-ai-diffusion-rule-2025": dict(
        label="US 'AI diffusion' rule caps AI chips for many countries incl. some EU states (rescinded before it applied)",
        family="us-ai-chip-controls", status="ended", level="high",
        status_basis="'rescission announced 13 May 2025 (never enforced)'",
        countries="POL;EST;LVA;LTU;GRC;LUX",
        note="never enforced",
        rationale=("No values (no mechanism). Hit set: only the EU Tier-2 states named in the note (full list not "
                   "verified); the rule also capped most non-EU countries"),
    ),
    "aus-deepseek-government-devices-2025": dict(
        label="Australia bans DeepSeek on government devices",
        family="deepseek", status="end_unknown", level="high",
        status_basis="'Verified date (Home Affairs directive 4 Feb 2025)'; nothing on an end",
        note="government systems only; private use unaffected",
    ),
    "twn-deepseek-public-sector-2025": dict(
        label="Taiwan bans DeepSeek in the public sector",
        family="deepseek", status="end_unknown", level="medium",
        status_basis="'MEDIUM: ... exact day not verified'; nothing on an end",
        note="public sector only; private citizens unaffected",
    ),
    "idn-mys-grok-block-2026": dict(
        label="Indonesia and Malaysia block xAI's Grok over sexual deepfakes",
        family="grok", status="end_unknown", level="medium",
        status_basis="'Described as temporary; lifting not verified' (Indonesia 10 Jan, Malaysia 11 Jan 2026)",
    ),
}

# Reference kind -> the model's kind. Launch delays and withheld features that ended are
# delays (the hit countries got the product on the end date); without an end they are
# withheld if the note verifies they are still in force, else delays of unknown end.
_NO_MECHANISM = {
    "training-data pause": "training_pause",
    "export control": "export_control",
    "government-device ban": "government_device_ban",
}


def _kind(ref_kind: str, has_end: bool, status: str) -> str:
    if ref_kind in ("regulator ban", "national block", "vendor geo-block"):
        return "outage"
    if ref_kind == "launch delay":
        return "delay" if has_end or status != "in_force_verified" else "withheld"
    if ref_kind == "feature withheld":
        return "delay" if has_end else "withheld"
    if ref_kind == "licence exclusion":
        return "withheld"
    if ref_kind in _NO_MECHANISM:
        return _NO_MECHANISM[ref_kind]
    raise ValueError(f"unmapped reference kind {ref_kind!r}")


def _date(text: str) -> tuple[str, str]:
    """(ISO date, precision) of a reference date; ``YYYY-MM`` is read as the 1st of the month."""
    text = text.strip()
    if not text:
        return "", ""
    parts = text.split("-")
    if len(parts) == 3:
        return text, "day"
    if len(parts) == 2:
        return f"{text}-01", "month"
    raise ValueError(f"unreadable reference date {text!r}")


def _num(x: float | None) -> str:
    return "" if x is None else format(float(x), "g")


def _inclusion(kind: str, cur: dict, status: str, assumed_end: str) -> tuple[bool, str]:
    """Whether the row counts in losses, and if not every reason why (the rules of data/README.md)."""
    reasons = []
    if kind not in MECHANISM_KINDS:
        reasons.append(f"kind '{kind}' has no mechanism in the model")
    if cur.get("caused_by"):
        reasons.append(f"caused_by {cur['caused_by']}")
    if status == "end_unknown" and not assumed_end and kind in MECHANISM_KINDS:
        reasons.append("end_unknown without an assumed end")
    if cur["level"] == "low":
        reasons.append("LOW/UNVERIFIED confidence")
    if cur.get("note"):
        reasons.append(cur["note"])
    # A note alone (with no rule broken) would silently drop a row: not allowed.
    hard = [r for r in reasons if r != cur.get("note")]
    if cur.get("note") and not hard:
        raise ValueError(f"{cur['label']}: a note is not a reason to exclude on its own")
    return (not reasons), "; ".join(reasons)


def build(ref: Path) -> pd.DataFrame:
    """The events table: every reference row merged with its curation, in reference order."""
    src = pd.read_csv(Path(ref) / REFERENCE_FILE, dtype=str, keep_default_na=False)
    missing = sorted(set(src.id) - set(CURATION))
    extra = sorted(set(CURATION) - set(src.id))
    if missing or extra:
        raise ValueError(f"curation out of step with the reference: missing {missing}, unknown {extra}")
    rows = []
    for r in src.to_dict("records"):
        cur = CURATION[r["id"]]
        start, start_prec = _date(r["date_start"])
        end, end_prec = _date(r["date_end"])
        status = cur["status"]
        if (status == "ended") != bool(end):
            raise ValueError(f"{r['id']}: status {status!r} does not fit date_end {r['date_end']!r}")
        kind = cur.get("kind") or _kind(r["kind"], bool(end), status)
        assumed_end = cur.get("assumed_end", "")
        values = cur.get("values")
        included, reason = _inclusion(kind, cur, status, assumed_end)
        if included and values is None:
            raise ValueError(f"{r['id']}: included in losses but has no share/substitution values")
        sl, sc, sh, ul, uc, uh = values if values else (None,) * 6
        rows.append({
            "id": r["id"],
            "label": cur["label"],
            "product": r["product"],
            "vendor": r["vendor"],
            "product_family": cur["family"],
            "countries": cur.get("countries", r["jurisdiction"]),
            "reference_jurisdiction": r["jurisdiction"],
            "kind": kind,
            "reference_kind": r["kind"],
            "start_date": start,
            "start_precision": start_prec,
            "end_date": end,
            "end_precision": end_prec,
            "status": status,
            "status_basis": cur["status_basis"],
            "assumed_end_date": assumed_end,
            "share_pct": _num(sc), "share_low_pct": _num(sl), "share_high_pct": _num(sh),
            "substitution_pct": _num(uc), "substitution_low_pct": _num(ul), "substitution_high_pct": _num(uh),
            "distribution": "triangular" if values else "",
            "common_factor": cur.get("common_factor", "") if values else "",
            "judgement": "true" if values else "false",
            "rationale": cur.get("rationale", ""),
            "value_sources": cur.get("value_sources", ""),
            "caused_by": cur.get("caused_by", ""),
            "included": "true" if included else "false",
            "exclusion_reason": reason,
            "confidence_level": cur["level"],
            "confidence": r["confidence_note"],
            "stated_reason": r["stated_reason"],
            "sources": r["source_urls"],
        })
    return pd.DataFrame(rows, columns=COLUMNS)


def render(df: pd.DataFrame) -> str:
    """The CSV text written to ``model/tables/events.csv`` (deterministic: all values are strings)."""
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return buf.getvalue()


if __name__ == "__main__":
    ref = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/reference")
    table = build(ref)
    OUT.write_text(render(table), encoding="utf-8")
    print(f"wrote {OUT}: {len(table)} events, {int((table.included == 'true').sum())} included in losses")

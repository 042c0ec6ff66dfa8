"""Sentences and names that appear only in held-out documents ("template_set": "novel").

Written after the recognizers were tuned on the dev split and never used to tune them: they measure
how the detector does on phrasings and names it has not seen, which the document-level split cannot.
"""

from __future__ import annotations

NOVEL_FIRST_NAMES = """
Oluwaseun Xiomara Bartholomew Ngozi Rashida Henrik Thi Anjali Mykola Keisha Ignacio Soo-ah Fiona
Desmond Paulina Tariq Marguerite Chukwuemeka Linnea Rohan Valentina Eduardo Shanice Aleksander
""".split()
NOVEL_LAST_NAMES = """
Oyelowo Quispe Fairbanks Abubakar Lindgren Trinh Deshpande Kovalenko Robichaux Szymanski Achterberg
Mwangi Ferraro Cavanaugh Nwachukwu Halvorsen Iyer Castaneda Pemberton Gallagher Yilmaz Okoro
""".split()

NOVEL_CLINICAL = [
    "Progress note for {PATIENT:first_last}, medical record # {MRN}.",
    "The patient, {PATIENT:first}, was accompanied by her son {PERSON:first_last}.",
    "{PATIENT:LAST_first} - DOB {DATE} - MRN {MRN}",
    "Pharmacy called back at {PHONE} regarding the prior authorization.",
    "Please forward records to {PERSON:first_last} at {EMAIL}.",
    "Home: {ADDRESS}; cell {PHONE}.",
    "Subscriber ID {PLAN} verified with the payer on {DATE}.",
    "Co-signed: {PERSON:initial_last}, MD",
]
NOVEL_BANK = [
    "Client {PATIENT:first_last} (SSN {SSN}) requested a limit increase.",
    "Please remit to account no. {ACCOUNT}, ABA {ABA}.",
    "Beneficiary bank SWIFT code {SWIFT}; IBAN {IBAN}.",
    "{PATIENT:first} confirmed the card ending {CARD} was lost on {DATE}.",
    "Mailing address on file: {ADDRESS}.",
    "Reach me on {PHONE} or write to {EMAIL}.",
    "Case handled by {PERSON:first_last} in the fraud unit.",
    "Applicant's driver license: {DL}.",
]
NOVEL_NO_PII = [
    "Hypertension: start lisinopril 10 mg daily; recheck potassium in 1 to 2 weeks.",
    "Reynolds risk score and Framingham criteria are discussed in the appendix.",
    "Interest accrues daily and is credited monthly; the minimum opening deposit is $100.",
    "Use the Cockcroft-Gault equation for renal dosing of vancomycin.",
    "The API returns 429 when more than 60 requests arrive per minute.",
    "Treatment of Lyme disease: doxycycline 100 mg twice daily for 10 to 21 days.",
    "Escrow analysis runs annually; shortages may be repaid over 12 months.",
    "Run `pytest -q` before pushing; CI uses Python 3.11 on Debian.",
]
NOVEL_PII_KINDS = {"novel_clinical": NOVEL_CLINICAL, "novel_bank": NOVEL_BANK}

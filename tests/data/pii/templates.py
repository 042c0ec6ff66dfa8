"""Sentence templates for the labelled corpus. ``{TYPE}`` / ``{TYPE:style}`` slots become labelled spans.

Every kind mixes PII sentences with clinical or banking filler that trips plain Presidio: eponyms,
drug names, durations, dosages, ICD / CPT / NDC codes, amounts and rates.
"""

from __future__ import annotations

CLINICAL_FILLER = [
    "History of Parkinson's disease, on carbidopa-levodopa 25/100 mg three times daily.",
    "Denies chest pain; symptoms for 5 days, worse at night.",
    "Metformin 500 mg twice daily was continued; A1c 7.9% last quarter.",
    "Exam notable for a positive Babinski sign on the left and mild Romberg instability.",
    "Started on apixaban 5 mg BID for 3 months; follow up in 2 weeks.",
    "Crohn disease in remission on adalimumab every 14 days.",
    "No history of Graves disease; TSH 2.1 mIU/L.",
    "Foley catheter removed on day 2; voiding spontaneously.",
    "ICD-10 E11.9, I10; CPT 99214. NDC 0002-3227-30 dispensed.",
    "Advised to avoid Xanax and alcohol; discussed Alzheimer's risk with family.",
    "Vitals: BP 132/84, HR 78, SpO2 97% on room air, temp 37.1 C.",
    "Glasgow Coma Scale 15; Apgar history not applicable.",
    "Patient reports taking Tylenol 650 mg every 6 hours as needed for 10 days.",
    "Bell's palsy resolved after prednisone taper over 7 days.",
    "Discussed Hodgkin lymphoma surveillance; PET scan in 6 months.",
]
BANK_FILLER = [
    "The 30-year fixed rate is 6.875% with 0.5 points; APR 7.02%.",
    "Debt-to-income ratio is 38% after the proposed payment of $2,145.00.",
    "Funds were held for 2 business days pending review under Regulation CC.",
    "The CUSIP 037833100 position was excluded from collateral.",
    "Transaction volume rose 340% over the prior 90 days.",
    "Chargeback reason code 10.4; dispute window is 120 days.",
    "Wire cut-off is 4:00 PM Eastern; fees are $25 domestic and $45 international.",
    "Risk score 87/100 triggered enhanced due diligence per policy AML-7.",
]

CLINICAL_NOTE = [
    "Patient: {PATIENT:LAST_first}   MRN: {MRN}   DOB: {DATE}",
    "{PATIENT:first_last} is a 67-year-old seen today for follow-up.",
    "Pt {PATIENT:first_last} (MRN {MRN}) presents with cough for 3 days.",
    "Lives at {ADDRESS} with daughter {PERSON:first_last}, phone {PHONE}.",
    "Insurance member ID: {PLAN}. PCP: Dr. {PERSON:last}.",
    "SSN on file {SSN}; emergency contact {PERSON:first_last} at {PHONE}.",
    "Seen by {PERSON:first_last}, MD (NPI {NPI}). DEA {DEA} on the prescription.",
    "Mr. {PATIENT:last} reports improvement since {DATE}.",
    "Discussed plan with {PATIENT:first} and his wife {PERSON:first}.",
    "Electronically signed by {PERSON:first_mi_last}, NP on {DATE}.",
]
DISCHARGE = [
    "DISCHARGE SUMMARY\n{PATIENT:LAST_first}   MRN {MRN}",
    "Admitted {DATE}; discharged {DATE}. Attending: Dr. {PERSON:initial_last}.",
    "Medical record number: {MRN}. Date of birth {DATE}.",
    "Follow up with {PERSON:first_last}, PA-C at the clinic; call {PHONE} to schedule.",
    "Discharge address: {ADDRESS}.",
    "Ms. {PATIENT:last} tolerated diet and ambulated independently.",
    "Medicare ID {PLAN}; secondary policy number {PLAN}.",
    "Patient email for portal: {EMAIL}.",
    "Dictated by {PERSON:first_last}, MD.",
]
REFERRAL = [
    "Dear Dr. {PERSON:last},",
    "I am referring {PATIENT:first_last} (DOB {DATE}, MRN {MRN}) for evaluation.",
    "{PATIENT:first} can be reached at {PHONE} or {EMAIL}.",
    "Home address: {ADDRESS}",
    "Her member ID is {PLAN} and my NPI is {NPI}.",
    "Referring physician: {PERSON:LAST_first}",
    "Sincerely,\n{PERSON:first_last}",
]
PATIENT_MESSAGE = [
    "Hi Dr. {PERSON:last}, this is {PATIENT:first_last}, my MRN is {MRN}.",
    "Can you send the refill to the pharmacy? My number is {PHONE}.",
    "My new address is {ADDRESS}.",
    "My husband {PERSON:first} will pick it up; his cell is {PHONE}.",
    "You can email me at {EMAIL}.",
    "Date of birth {DATE}, in case you need it.",
    "Thanks,\n{PATIENT:first}",
]
LOAN_APPLICATION = [
    "Borrower: {PATIENT:first_last}   SSN: {SSN}   DOB: {DATE}",
    "Co-borrower: {PERSON:first_mi_last}, SSN {SSN}.",
    "Current address: {ADDRESS}",
    "Employer phone {PHONE}; applicant email {EMAIL}.",
    "Checking account {ACCOUNT} at routing {ABA}.",
    "Driver's license number {DL}, issued {DATE}.",
    "Card on file for the application fee: {CARD}.",
    "Loan officer: {PERSON:first_last}",
]
KYC_NOTE = [
    "KYC review for customer {PATIENT:LAST_first}, DOB {DATE}.",
    "ID verified: driver's license {DL}; SSN {SSN} matched bureau records.",
    "Customer {PATIENT:first_last} resides at {ADDRESS}.",
    "Beneficial owner {PERSON:first_last} holds 40% of the entity.",
    "Contact on record {PHONE}, {EMAIL}.",
    "Account number {ACCOUNT} opened {DATE}.",
    "Reviewed by analyst {PERSON:initial_last}.",
]
FRAUD_NOTE = [
    "Fraud alert on card {CARD} for cardholder {PATIENT:first_last}.",
    "Login from IP {IP} at 02:14 followed by a password reset to {EMAIL}.",
    "Customer called from {PHONE}; verified last payment and DOB {DATE}.",
    "Disputed transfer to IBAN {IBAN} (SWIFT {SWIFT}).",
    "Account {ACCOUNT} frozen; new card {CARD} issued.",
    "Investigator: {PERSON:first_last}",
    "Mailing address updated to {ADDRESS} two days before the claim.",
]
WIRE = [
    "WIRE INSTRUCTIONS\nBeneficiary name: {PATIENT:first_last}",
    "Beneficiary address: {ADDRESS}",
    "Bank routing (ABA): {ABA}\nAccount number: {ACCOUNT}",
    "IBAN: {IBAN}\nSWIFT/BIC: {SWIFT}",
    "Reference: invoice 44871 for {PATIENT:last}.",
    "Confirm by phone with {PERSON:first_last} at {PHONE} before release.",
    "Originator: {PERSON:LAST_first}, account {ACCOUNT}.",
]
COMPLAINT = [
    "From: {PATIENT:first_last} <{EMAIL}>\nSubject: Unauthorized charge",
    "Hello, my name is {PATIENT:first_last} and my account number is {ACCOUNT}.",
    "You charged my card {CARD} twice on {DATE}.",
    "Please call me at {PHONE}; I live at {ADDRESS}.",
    "I spoke to {PERSON:first} in your branch and nobody helped.",
    "My social security number is {SSN} if you need to verify me.",
    "Regards,\n{PATIENT:first_last}",
]

PII_KINDS: dict[str, tuple[list[str], list[str]]] = {
    "clinical_note": (CLINICAL_NOTE, CLINICAL_FILLER),
    "discharge_summary": (DISCHARGE, CLINICAL_FILLER),
    "referral_letter": (REFERRAL, CLINICAL_FILLER),
    "patient_message": (PATIENT_MESSAGE, CLINICAL_FILLER),
    "loan_application": (LOAN_APPLICATION, BANK_FILLER),
    "kyc_note": (KYC_NOTE, BANK_FILLER),
    "fraud_note": (FRAUD_NOTE, BANK_FILLER),
    "wire_instructions": (WIRE, BANK_FILLER),
    "complaint_email": (COMPLAINT, BANK_FILLER),
}

GUIDELINE = [
    "Parkinson's disease: start carbidopa-levodopa at 25/100 mg three times daily.",
    "Screen for Alzheimer's dementia with the Mini-Cog; repeat every 12 months.",
    "Suspect Guillain-Barre syndrome with ascending weakness over 2 to 4 weeks.",
    "Graves disease: methimazole 10 to 20 mg daily for 12 to 18 months.",
    "Use the Wells score and D-dimer before CT angiography.",
    "Cushing syndrome work-up: late-night salivary cortisol on 2 nights.",
    "Hashimoto thyroiditis: levothyroxine 1.6 mcg/kg daily.",
    "Kawasaki disease: IVIG 2 g/kg over 10 to 12 hours plus aspirin.",
    "Apply the Glasgow Coma Scale and the Ottawa ankle rules.",
    "Crohn disease: consider adalimumab 160 mg, then 80 mg at week 2.",
]
DOSAGE = [
    "Drug | Dose | Frequency | Duration",
    "Amoxicillin | 500 mg | every 8 hours | 7 days",
    "Prednisone | 40 mg | daily | 5 days",
    "Lisinopril | 10 mg | daily | ongoing",
    "Apixaban | 5 mg | twice daily | 3 months",
    "Ondansetron | 4 mg | every 6 hours as needed | 2 days",
    "Insulin glargine | 10 units | nightly | titrate by 2 units every 3 days",
    "Vancomycin | 15 mg/kg | every 12 hours | 14 days",
]
RATE_POLICY = [
    "Savings accounts earn 4.10% APY on balances above $10,000.",
    "Overdraft fees are capped at $35 per item and 3 items per day.",
    "Wires received after 4:00 PM post the next business day.",
    "The prime rate plus 1.25% applies to home equity lines.",
    "Certificates of deposit: 12 months at 4.50%, 24 months at 4.00%.",
    "Mortgage rate locks are valid for 45 days; extensions cost 0.125%.",
    "Routing numbers for each branch are published on the rates page.",
    "ACH transfers settle in 1 to 3 business days.",
]
CODE = [
    "def luhn_valid(number: str) -> bool:\n    total = 0",
    "class PatientRecord(BaseModel):\n    mrn: str\n    name: str",
    "SELECT account_id, balance FROM accounts WHERE status = 'OPEN';",
    'for i in range(10):\n    print(f"Processed batch {i}")',
    "const Parser = require('./parser');\nmodule.exports = Parser;",
    "if (response.status === 404) { throw new NotFoundError('Missing'); }",
    "# Mock data uses placeholders only; see README for the schema.",
    "docker run -p 8080:8080 --name gateway bulwark:latest",
]
NO_PII_KINDS: dict[str, list[str]] = {
    "guideline": GUIDELINE,
    "dosage_table": DOSAGE,
    "rate_policy": RATE_POLICY,
    "code": CODE,
}

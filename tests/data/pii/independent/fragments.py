"""Sentence fragments for the compositional generator, grouped by document kind.

Each kind has openers, body sentences and closers; a document is one opener, a random sample of
bodies in random order, and maybe a closer. "{slot}" holes are filled by slots.fill.
"""

from __future__ import annotations

CLINICAL = {
    "open": [
        "Pt {name}, {age}yo, DOB {dob}, seen in clinic {date}.",
        "{name} (MRN {mrn}) attended on {eudate}.",
        "Clinic note for {name}; d.o.b. {eudob}; hosp no. {mrn}.",
        "Seen today, {datetime}: {name}, born {dob}.",
    ],
    "body": [
        "History notable for {eponym}; stable {dur}.",
        "Current meds: {dose}; {dose}.",
        "Labs: {lab}, {lab}.",
        "On examination: {finding}.",
        "Coded {code} for billing.",
        "Lives alone at {addr}; a relative, {relative}, visits.",
        "Moved here from {city} {dur}.",
        "Next of kin: {relative}, tel {phone2}.",
        "Admits using {drug} at weekends.",
        "Insurance member ID {plan}.",
        "Prior admission {date} at the regional unit, discharged {eudate}.",
        "Contact number on file {phone}.",
        "Photo ID: {dlstate} driver's license {dl}.",
        "Referred by Dr {doc} (NPI {npi}).",
        "Works as a courier around {place}.",
        "Rx signed by {doc}, DEA {dea}.",
        "Pt prefers e-mail: {email}.",
        "Last seen {dur}; {lab}.",
    ],
    "close": ["Plan: review in 6 weeks. Dictated by {doc}.", "F/U with {doc}.", "Signed {doc}, {datetime}."],
}
DISCHARGE = {
    "open": [
        "DISCHARGE SUMMARY\nPatient: {name}\nMRN: {mrn}\nAdmitted: {eudate}  Discharged: {date}\n",
        "Discharge summary for {name} (DOB {dob}), admitted {date}.",
    ],
    "body": [
        "Presenting complaint: chest pain {dur}; {lab}.",
        "Diagnoses: {eponym}; {code}.",
        "On arrival {finding}.",
        "Discharge medication: {dose}.",
        "Home address {addr}; district nurse to visit.",
        "Follow-up booked {datetime} with Dr {doc}.",
        "Carer {relative} can be reached on {phone2}.",
        "Health plan {plan} notified.",
        "Identity confirmed with driving licence {dl} ({dlstate}).",
        "Transport arranged from {place}.",
    ],
    "close": ["Consultant: {doc}.", "Copy to GP. {ref}."],
}
REFERRAL = {
    "open": [
        "Dear Dr {doc},\n\nThank you for seeing {name}, born {eudob}, of {addr}.",
        "Re: {name}, DOB {dob}, NHS/plan {plan}\n\nDear colleague,",
    ],
    "body": [
        "{given} has a background of {eponym}.",
        "Recent bloods: {lab}.",
        "Medication: {dose}.",
        "{given} can be contacted on {phone} or {email}.",
        "The family recently moved from {city}.",
        "{given} was seen in ED on {date}.",
        "Please note {given} uses {drug} occasionally.",
    ],
    "close": ["Yours sincerely,\n{doc}\nNPI {npi}", "Kind regards, Dr {doc}"],
}
MESSAGE = {
    "open": ["Hi, this is {name}, DOB {dob}.", "hello its {name} again", "Message from {name} via portal:"],
    "body": [
        "my new address is {newaddr}",
        "please call me on {phone} after 5",
        "my email changed to {oemail}",
        "I had my bloods done on {eudate} and the {lab} worried me",
        "my member id is {plan}",
        "my mum {relative} has {eponym} too",
        "I'm staying in {place} for a bit",
        "my licence number is {dl} if you need ID",
        "MRN {mrn} if that helps",
    ],
    "close": ["Thanks, {given}", "thank you", "Regards, {name}"],
}
LOAN = {
    "open": [
        "LOAN APPLICATION NOTES\nApplicant: {name}\nDOB: {dob}\nSSN: {ssn}\n",
        "Applicant {name} (SSN {ssn}) applied on {date} for {amount}.",
    ],
    "body": [
        "Current address {addr}, at this address {dur}.",
        "Driver license {dlstate} {dl} verified.",
        "Salary deposited to acct {acct}, routing {routing}.",
        "Employer based in {place}.",
        "Contact: {phone}, {email}.",
        "Co-applicant {relative}, DOB {eudob}.",
        "Ref {ref}.",
        "Previous address {newaddr}.",
    ],
    "close": ["Underwriter: {relative}.", "Decision due {dur}."],
}
FRAUD = {
    "open": [
        "Fraud case {ref}: customer {name} reported unauthorised activity on {datetime}.",
        "Suspicious login for {name} from IP {ip} on {date}.",
    ],
    "body": [
        "Card {card} was used at a fuel station in {place}.",
        "Second login from {ip2} within minutes.",
        "Funds of {amount} sent to IBAN {iban} (BIC {swift}).",
        "Customer's registered phone is {phone}.",
        "Caller read out licence number {dl}.",
        "Fraudster changed the e-mail to {oemail}.",
        "Account {acct} frozen at {datetime}.",
        "Customer confirmed DOB {dob} and address {addr}.",
        "Beneficiary bank routing {routing}, {swift}.",
    ],
    "close": ["Analyst: {relative}.", "Escalated as {ref}."],
}
COMPLAINT = {
    "open": [
        "Subject: complaint\n\nTo whom it may concern, my name is {name}.",
        "Dear Sir/Madam, I am writing about account {acct}.",
    ],
    "body": [
        "On {date} you charged my card {card} twice.",
        "I live at {addr} and no letter arrived.",
        "Reply to {email} or ring {phone}.",
        "Your branch in {place} was no help.",
        "Your reference {ref}.",
        "You asked for ID: my {dlstate} license is {dl}.",
        "My IBAN is {iban}, please refund there.",
        "Processing {dur} is unacceptable.",
    ],
    "close": ["Sincerely, {name}", "{name}\n{phone}"],
}
TRANSCRIPT = {
    "open": [
        "agent: thanks for calling, can i take your full name\ncaller: yeah it's {name}\n",
        "AGENT: can you confirm your date of birth\nCALLER: {dob}\n",
    ],
    "body": [
        "agent: and the first line of the address\ncaller: {addr}\n",
        "caller: my number is {phone}\n",
        "agent: email on file?\ncaller: {oemail}\n",
        "caller: the card ending, no the whole card is {card}\n",
        "caller: i'm calling from {place}\n",
        "agent: member id please\ncaller: {plan}\n",
        "caller: social is {ssn}\n",
        "agent: driver's license number?\ncaller: {dl}\n",
        "caller: i was prescribed {dose} {dur}\n",
        "agent: ticket is {ref}\n",
    ],
    "close": ["agent: anything else today\ncaller: no thanks bye\n"],
}
LAB = {
    "open": [
        "LAB REPORT  Patient: {name}  DOB: {eudob}  MRN: {mrn}\nCollected: {datetime}\n",
        "Results for {name} ({mrn}), specimen received {date}.",
    ],
    "body": [
        "{lab}",
        "{lab} (flagged)",
        "Ordering provider {doc}, NPI {npi}.",
        "Method {ref}.",
        "Comment: consistent with {eponym}.",
        "Clinical details: {finding}.",
        "Reported {datetime} to ward by phone {phone2}.",
    ],
    "close": ["Validated by {relative}."],
}
KINDS = {
    "clinical_note": CLINICAL,
    "discharge_summary": DISCHARGE,
    "referral_letter": REFERRAL,
    "patient_message": MESSAGE,
    "loan_application": LOAN,
    "fraud_writeup": FRAUD,
    "complaint_email": COMPLAINT,
    "call_transcript": TRANSCRIPT,
    "lab_report": LAB,
}

NO_PII = {
    "clinical": [
        "Guideline update: patients with {eponym} on {dose} need {lab} checked {dur}.",
        "Audit of {code} coding showed 14% errors {dur}.",
        "Harm-reduction leaflet covers {drug} and {drug}.",
        "Formulary change {ref}: switch to {dose}.",
        "Reference range: {lab}.",
        "Outbreak meeting moved; see {ref}.",
    ],
    "finance": [
        "Correspondent bank {swift}, routing {routing}, settles {dur}.",
        "Release {ref} fixes rounding on {amount}.",
        "Wire cut-off is 16:00 ET; ABA {routing} is the clearing route.",
        "Invoice {ref} for {amount} is due {dur}.",
        "Batch {digits} reconciled against {swift}.",
        "Fee schedule {ref} applies {dur}.",
    ],
}

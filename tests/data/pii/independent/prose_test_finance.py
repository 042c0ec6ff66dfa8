"""Hand-written banking and insurance documents for the test split (never used for tuning; people invented)."""

from __future__ import annotations

from tests.data.pii.independent.handwritten import Prose

P, A, L, D = "PERSON", "STREET_ADDRESS", "LOCATION", "DATE_TIME"

DOCS: list[Prose] = [
    Prose(
        "fraud_writeup",
        """Account takeover - investigator notes
Victim: Thanh Hương Phạm (customer since 2016). On 19.08.2025 a caller impersonating her passed KBA using her
DOB (07/03/1983) and the last address on file, 95 Granville Street, Vancouver, BC V6B 4N7. The caller then ordered
a replacement card 5529481733628351 to be sent to 77 Linden Blvd, Unit 7, Newark, NJ 07104. Calls came from
+1 (973) 555-0108, spoofed. Card activated from 2001:0db8:85a3:0000:0000:8a2e:0370:7334 the next morning.""",
        (
            ("Thanh Hương Phạm", P),
            ("19.08.2025", D),
            ("07/03/1983", D),
            ("95 Granville Street, Vancouver, BC V6B 4N7", A),
            ("5529481733628351", "CREDIT_CARD"),
            ("77 Linden Blvd, Unit 7, Newark, NJ 07104", A),
            ("+1 (973) 555-0108", "PHONE_NUMBER"),
            ("2001:0db8:85a3:0000:0000:8a2e:0370:7334", "IP_ADDRESS"),
        ),
    ),
    Prose(
        "complaint_email",
        """hi, i'm writing because nobody answers the phone. my name is omar khoury and my account number
is 5519320044. on the 2nd of october 2025 you froze my account for "unusual activity" which was my salary. i live
in coeur d'alene and the nearest branch is 40 minutes away. call me 208 555 0121 or write omar.khoury at comcast dot
net. omar""",
        (
            ("omar khoury", P),
            ("5519320044", "US_BANK_NUMBER"),
            ("2nd of october 2025", D),
            ("coeur d'alene", L),
            ("208 555 0121", "PHONE_NUMBER"),
            ("omar.khoury at comcast dot\nnet", "EMAIL_ADDRESS"),
            ("omar", P),
        ),
    ),
    Prose(
        "loan_application",
        """Auto loan - application summary
Borrower: Emily Stanton-Reyes
SSN: 523 48 1190 | DOB: 1997-06-14 | Phone: (720) 555-0175
Address: 1450 Rue Sainte-Catherine O, Montréal, QC H3G 1R9 until August, then 640 Sycamore Lane, Fort Collins,
CO 80521
Colorado DL: 12-345-6789
Vehicle: 2021 Subaru Outback, VIN on file. Amount $24,300 at 6.9%. Employer: Poudre Valley Health.""",
        (
            ("Emily Stanton-Reyes", P),
            ("523 48 1190", "US_SSN"),
            ("1997-06-14", D),
            ("(720) 555-0175", "PHONE_NUMBER"),
            ("1450 Rue Sainte-Catherine O, Montréal, QC H3G 1R9", A),
            ("640 Sycamore Lane, Fort Collins,\nCO 80521", A),
            ("12-345-6789", "US_DRIVER_LICENSE"),
        ),
    ),
    Prose(
        "wire_transfer",
        """Wire recall request
Original wire sent 2025-09-03, $48,000.00, from checking 7730019284 (customer Anneliese Meyer-Landrut) to
Beneficiary "Nordic Property Services", IBAN NL60 BVNA 4315 8923 99, BIC INGBNL2A.
Customer states she was instructed by email from a spoofed solicitor's address (h.lloyd-webber@outlook.com).
Recall sent via SWIFT gpi; UETR 97ed4827-7b6f-4491-a06f-b548d5a7512d.""",
        (
            ("2025-09-03", D),
            ("7730019284", "US_BANK_NUMBER"),
            ("Anneliese Meyer-Landrut", P),
            ("NL60 BVNA 4315 8923 99", "IBAN_CODE"),
            ("h.lloyd-webber@outlook.com", "EMAIL_ADDRESS"),
        ),
    ),
    Prose(
        "kyc_writeup",
        """Periodic review: customer Adebayo Adewale, Nigerian national resident in Ikoyi, Lagos, with a
US account for school fees. Current address confirmed as 8 Awolowo Avenue, Ikoyi, Lagos. Alternative contact in
Houston: cousin Olumide Adewale, 713-555-0150. Expected turnover unchanged. Funds source: IBAN
IE43 MUGI 6825 4821 8379 44 (salary, Dublin employer). No adverse media.""",
        (
            ("Adebayo Adewale", P),
            ("Ikoyi, Lagos", L),
            ("8 Awolowo Avenue, Ikoyi, Lagos", A),
            ("Houston", L),
            ("Olumide Adewale", P),
            ("713-555-0150", "PHONE_NUMBER"),
            ("IE43 MUGI 6825 4821 8379 44", "IBAN_CODE"),
            ("Dublin", L),
        ),
    ),
    Prose(
        "call_transcript",
        """agent: health plan member services, who do i have
member: this is huda mansour
agent: thanks huda. member id?
member: it's 24261256-55
agent: and date of birth
member: twelve, three, eighty-eight. so 12/3/88, i'm in the uk format sorry, 12 march
agent: no problem. what's the question
member: i got a bill from the hospital in worcester for my daughter's er visit
agent: ok i'll send a claim review form to your email, huda.mansour@icloud.com, yes?
member: yes""",
        (
            ("huda mansour", P),
            ("huda", P),
            ("24261256-55", "HEALTH_PLAN_ID"),
            ("12/3/88", D),
            ("12 march", D),
            ("worcester", L),
            ("huda.mansour@icloud.com", "EMAIL_ADDRESS"),
        ),
    ),
    Prose(
        "ops_bulletin",
        """Treasury note: correspondent accounts with DEUTDEFF and BNPAFRPP will be consolidated in Q1. The
CHIPS UID and ABA 026009593 remain unchanged. Reconciliation script v1.12.0 flags breaks above $0.50. Ticket
INC0051120. No client data in this note.""",
    ),
    Prose(
        "insurance_claim",
        """Dental claim adjudication
Subscriber: Zofia Szymańska (ID 09462942-84), dependant Łukasz Szymański
Service date 28 Feb 2025, procedure D2740 crown, tooth 30. Provider NPI 2712565532, Dr Priya Venkataraman,
office at 2210 Oak Street, Suite 300, Allentown, PA 18104. Paid 50% after deductible.""",
        (
            ("Zofia Szymańska", P),
            ("09462942-84", "HEALTH_PLAN_ID"),
            ("Łukasz Szymański", P),
            ("28 Feb 2025", D),
            ("2712565532", "NPI"),
            ("Priya Venkataraman", P),
            ("2210 Oak Street, Suite 300, Allentown, PA 18104", A),
        ),
    ),
    Prose(
        "fraud_writeup",
        """Synthetic identity ring: five applications in October shared the phone +1 404 555 0109 and the
mailing address P.O. Box 1187, Savannah, GA 31402. Names used: Keisha Barnes, Tyrone Coleman, K. Barnes-Coleman.
SSNs 627-41-0082 and 627-41-0083 were issued to people who died in 2011. Device fingerprint IP 172.16.40.8 behind
a VPN at 45.83.220.17. Referred to law enforcement in Chatham County.""",
        (
            ("+1 404 555 0109", "PHONE_NUMBER"),
            ("P.O. Box 1187, Savannah, GA 31402", A),
            ("Keisha Barnes", P),
            ("Tyrone Coleman", P),
            ("K. Barnes-Coleman", P),
            ("627-41-0082", "US_SSN"),
            ("627-41-0083", "US_SSN"),
            ("172.16.40.8", "IP_ADDRESS"),
            ("45.83.220.17", "IP_ADDRESS"),
            ("Chatham County", L),
        ),
    ),
    Prose(
        "complaint_email",
        """Subject: Formal complaint, ref OPS-7781

Dear Sirs,
I write on behalf of my client, Mr Hugo Evans-Pritchard of 3 Albert Terrace, Golden Triangle, Norwich NR2 3LE, about
the closure of his account (IBAN BE80 1940 4836 2374) on 14 July 2025 without notice. Please respond within 8
weeks to our office on 01603 555 0110.

Charlotte Lloyd-Webber, solicitor""",
        (
            ("Hugo Evans-Pritchard", P),
            ("3 Albert Terrace, Golden Triangle, Norwich NR2 3LE", A),
            ("BE80 1940 4836 2374", "IBAN_CODE"),
            ("14 July 2025", D),
            ("01603 555 0110", "PHONE_NUMBER"),
            ("Charlotte Lloyd-Webber", P),
        ),
    ),
    Prose(
        "policy_memo",
        """Model risk: the credit score model v4.2 underperforms for thin-file applicants (Gini 0.41 vs
0.58). Retraining on FY2024 data is planned. Features such as ZIP3 and age band are under fair-lending review.
No customer records are attached; see OPS-3320 and INV-2025-01177 for vendor costs.""",
    ),
    Prose(
        "call_transcript",
        """agent: fraud team, this call is recorded. can you confirm your full name
customer: li na wang. w-a-n-g
agent: thanks ms wang. we saw a card payment in hanoi at 03:12 this morning for 18 million dong
customer: i'm in pittsburgh, that's not me
agent: ok. i'm blocking the card ending now and sending a new one to 1200 e carson street, pittsburgh, pa 15203?
customer: yes
agent: and your mobile's still 412 555 0136
customer: yes""",
        (
            ("li na wang", P),
            ("wang", P),
            ("hanoi", L),
            ("pittsburgh", L),
            ("1200 e carson street, pittsburgh, pa 15203", A),
            ("412 555 0136", "PHONE_NUMBER"),
        ),
    ),
    Prose(
        "kyc_writeup",
        """New-to-bank individual. Name: Sai Krishna Deshpande. DOB 1 Jan 1990. Passport (India) and Washington
driver licence WDLK7Q2M5H1B. Residential address 5821 Lakeshore Drive Apt. 12, Spokane, WA 99223-1187. Employer:
software firm in Pune and Spokane. Initial deposit by wire from HDFC (SWIFT HDFCINBB). Email saikrishna.d@gmail.com.""",
        (
            ("Sai Krishna Deshpande", P),
            ("1 Jan 1990", D),
            ("WDLK7Q2M5H1B", "US_DRIVER_LICENSE"),
            ("5821 Lakeshore Drive Apt. 12, Spokane, WA 99223-1187", A),
            ("Pune", L),
            ("Spokane", L),
            ("saikrishna.d@gmail.com", "EMAIL_ADDRESS"),
        ),
    ),
    Prose(
        "ops_bulletin",
        """Release notes 5.8.0: statements now show the ABA routing number 011000015 and SWIFT code
CITIUS33 in the footer. Invoice numbering switched to INV-YYYY-NNNNN. The export job runs every 4 hours. Known
issue OPS-5512: PDF page 2 is blank on Safari 17.""",
    ),
    Prose(
        "insurance_claim",
        """Life claim - initial notice
Deceased: Joaquín Hernández, date of death 2025-10-30, policy number LF-00219377 (beneficiary: Guadalupe Hernández).
Place of death: Maricopa County. Funeral home invoice INV-2025-09911. Beneficiary mailing address
1901 N 4th St, Apt 3, Tulsa, OK 74106; phone 918.555.0148. Payment to account 39928471102, routing 103000648.""",
        (
            ("Joaquín Hernández", P),
            ("2025-10-30", D),
            ("LF-00219377", "HEALTH_PLAN_ID"),
            ("Guadalupe Hernández", P),
            ("Maricopa County", L),
            ("1901 N 4th St, Apt 3, Tulsa, OK 74106", A),
            ("918.555.0148", "PHONE_NUMBER"),
            ("39928471102", "US_BANK_NUMBER"),
        ),
    ),
    Prose(
        "fraud_writeup",
        """Card-testing attack on the donations page: 1,912 authorisations of $1.00 from 41 IPs in one
hour, all BINs in the 4xxxxx range. WAF rule 942100 blocked the rest. No cardholder data stored; tokens only.
Merchant ID 88-1042-A. Follow-up ticket OPS-9001.""",
    ),
    Prose(
        "complaint_email",
        """From: Ciarán Ó Súilleabháin
I was charged a foreign transaction fee on a payment to a shop in Galway even though your website (version 2.0)
says Ireland is exempt. My Discover card is 6011 2379 2212 9194. I'd like the €3.20 back. Reply to
ciaran.osullivan(at)proton.me.""",
        (
            ("Ciarán Ó Súilleabháin", P),
            ("Galway", L),
            ("6011 2379 2212 9194", "CREDIT_CARD"),
            ("ciaran.osullivan(at)proton.me", "EMAIL_ADDRESS"),
        ),
    ),
    Prose(
        "loan_application",
        """Small business loan - guarantor details
Guarantor: Venkataraman, Deepika   DOB 19.04.1977   SSN 301-62-7745
Maryland DL M-057-388-183-906
Home: 1010 E 38th Street, Apt 4B, Baltimore, MD 21218
Personal account 2017339940 (checking), routing 052001633.
Business premises in Hampden; lease signed 02/01/2025.""",
        (
            ("Venkataraman, Deepika", P),
            ("19.04.1977", D),
            ("301-62-7745", "US_SSN"),
            ("M-057-388-183-906", "US_DRIVER_LICENSE"),
            ("1010 E 38th Street, Apt 4B, Baltimore, MD 21218", A),
            ("2017339940", "US_BANK_NUMBER"),
            ("Hampden", L),
            ("02/01/2025", D),
        ),
    ),
    Prose(
        "wire_transfer",
        """Inbound SEPA credit, manual repair
Ordering customer: Lukas Becker, Kastanienallee 7, 10435 Berlin, IBAN DE19144369049708741264
Beneficiary: Marie-Claire Dubois, IBAN FR95 8951 2046 06PL RZVN RHEM 423
Value date 05.11.2025, EUR 1,250.00, remittance "loyer novembre". Beneficiary bank BNPAFRPP. Repaired field 59.""",
        (
            ("Lukas Becker", P),
            ("Kastanienallee 7, 10435 Berlin", A),
            ("DE19144369049708741264", "IBAN_CODE"),
            ("Marie-Claire Dubois", P),
            ("FR95 8951 2046 06PL RZVN RHEM 423", "IBAN_CODE"),
            ("05.11.2025", D),
        ),
    ),
]

"""Hand-written banking and insurance documents for the dev split (all people are invented)."""

from __future__ import annotations

from tests.data.pii.independent.handwritten import Prose

P, A, L, D = "PERSON", "STREET_ADDRESS", "LOCATION", "DATE_TIME"

DOCS: list[Prose] = [
    Prose(
        "fraud_writeup",
        """Case summary: On 2025-02-11 at 02:14 UTC the online banking profile of Marisol Villanueva was
accessed from 185.220.101.47 (known Tor exit) and then from 2a02:6b8:b010:a0ff::1. Within nine minutes the attacker
added a payee and wired $9,400.00 to IBAN GB86 SAGE 2404 2962 0086 71 (BIC NWBKGB2L). The customer, reached on
(505) 555-0134, confirmed she was asleep at home in Albuquerque. Her debit card 4645899431662475 was also used at a
fuel station in El Paso. Recommend reimbursement under Reg E; SAR reference OPS-4471.""",
        (
            ("2025-02-11 at 02:14 UTC", D),
            ("Marisol Villanueva", P),
            ("185.220.101.47", "IP_ADDRESS"),
            ("2a02:6b8:b010:a0ff::1", "IP_ADDRESS"),
            ("GB86 SAGE 2404 2962 0086 71", "IBAN_CODE"),
            ("(505) 555-0134", "PHONE_NUMBER"),
            ("Albuquerque", L),
            ("4645899431662475", "CREDIT_CARD"),
            ("El Paso", L),
        ),
    ),
    Prose(
        "complaint_email",
        """From: Siobhán McCarthy
Subject: charged twice AGAIN

I have been a customer for 11 years. On 3 January and again on 4 January you took £49.99 for the same order
(INV-2024-00871). My card is 5127-6682-5434-7967. I rang 0800 numbers three times and was cut off. Please
refund to my account and reply to siobhan.mccarthy@btinternet.com, not my work email.

Siobhán""",
        (
            ("Siobhán McCarthy", P),
            ("3 January", D),
            ("4 January", D),
            ("5127-6682-5434-7967", "CREDIT_CARD"),
            ("siobhan.mccarthy@btinternet.com", "EMAIL_ADDRESS"),
            ("Siobhán", P),
        ),
    ),
    Prose(
        "loan_application",
        """Underwriting memo - personal loan, $18,500, 48 months
Applicant: Darnell R. Jefferson, SSN 412-77-9051, DOB March 9, 1988
Residence: 2210 W Washington Blvd, Apt 1203, Springfield, IL 62704 (renting since 2019)
DL: Illinois J125-6648-8930
Income verified via pay stubs; direct deposit to checking 004817362295 at routing 071000013.
DTI 31%. Credit score 702. Approve at 11.4% APR.""",
        (
            ("Darnell R. Jefferson", P),
            ("412-77-9051", "US_SSN"),
            ("March 9, 1988", D),
            ("2210 W Washington Blvd, Apt 1203, Springfield, IL 62704", A),
            ("J125-6648-8930", "US_DRIVER_LICENSE"),
            ("004817362295", "US_BANK_NUMBER"),
        ),
    ),
    Prose(
        "kyc_writeup",
        """Enhanced due diligence: the client, Mohammed Irfan Patel, holds a UK passport and resides at
Flat 12, 88 Queens Drive, Hillhead, Glasgow G12 8QQ. Source of funds is the sale of a property in Banjara Hills,
Hyderabad, completed 15/10/2024. Funds arrived from IBAN DE31 8204 6683 2860 3342 91 via Deutsche Bank
(DEUTDEFF). PEP screening negative. Contact: +44 7700 900 318, m.i.patel@proton.me.""",
        (
            ("Mohammed Irfan Patel", P),
            ("Flat 12, 88 Queens Drive, Hillhead, Glasgow G12 8QQ", A),
            ("Banjara Hills,\nHyderabad", L),
            ("15/10/2024", D),
            ("DE31 8204 6683 2860 3342 91", "IBAN_CODE"),
            ("+44 7700 900 318", "PHONE_NUMBER"),
            ("m.i.patel@proton.me", "EMAIL_ADDRESS"),
        ),
    ),
    Prose(
        "call_transcript",
        """agent: you're through to card services, my name's tom
customer: hi tom this is agnieszka nowakowska
agent: hi agnieszka, for security can i get your date of birth
customer: it's 09/12/1990
agent: and the long card number
customer: 3779 721837 80159
agent: thanks. i can see a payment to a gym in sheffield on the 14th of may 2025, is that you
customer: no! i cancelled that in march
agent: ok i'll raise a dispute, reference 2291-0443""",
        (
            ("tom", P),
            ("agnieszka nowakowska", P),
            ("agnieszka", P),
            ("09/12/1990", D),
            ("3779 721837 80159", "CREDIT_CARD"),
            ("sheffield", L),
            ("14th of may 2025", D),
        ),
    ),
    Prose(
        "insurance_claim",
        """Claim note. Policyholder Babatunde Ogunleye (policy HMO-5520931-02, subscriber ID
ZGP4471920) submitted a claim for an MRI of the lumbar spine performed 12.06.2025 at an out-of-network imaging
centre in Newark. CPT 72148, ICD-10 M54.5. Prior auth was not obtained. Member's mailing address is PO Box 4471,
Newark, NJ 07101. Denied; appeal rights letter sent.""",
        (
            ("Babatunde Ogunleye", P),
            ("HMO-5520931-02", "HEALTH_PLAN_ID"),
            ("ZGP4471920", "HEALTH_PLAN_ID"),
            ("12.06.2025", D),
            ("Newark", L),
            ("PO Box 4471,\nNewark, NJ 07101", A),
        ),
    ),
    Prose(
        "wire_transfer",
        """Outgoing wire request received by fax from (212) 555-0177 on 7/8/25:
Debit account: 000123987654 (joint, both holders on file)
Beneficiary: Krzysztof Lewandowski, ul. Marszałkowska 84 m. 12, 00-514 Warszawa
Beneficiary IBAN: PL59 5957 3100 6053 0424 4098 4351   BIC: INGBPLPW
Amount: USD 25,000.00. Purpose: purchase of flat. Callback to account holder required before release.""",
        (
            ("(212) 555-0177", "PHONE_NUMBER"),
            ("7/8/25", D),
            ("000123987654", "US_BANK_NUMBER"),
            ("Krzysztof Lewandowski", P),
            ("ul. Marszałkowska 84 m. 12, 00-514 Warszawa", A),
            ("PL59 5957 3100 6053 0424 4098 4351", "IBAN_CODE"),
        ),
    ),
    Prose(
        "fraud_writeup",
        """Elder financial abuse referral. Ms Hughes (Heather Hughes, 81) has given her nephew, whom she
calls "Rhys", access to online banking. Over six weeks 14 transfers totalling $31,200 went to a Zelle recipient
registered to rhys.evanspritchard AT gmail DOT com. The branch manager in Asheville noticed her confusion on 2 June.
Adult Protective Services for Buncombe County informed.""",
        (
            ("Hughes", P),
            ("Heather Hughes", P),
            ("Rhys", P),
            ("rhys.evanspritchard AT gmail DOT com", "EMAIL_ADDRESS"),
            ("Asheville", L),
            ("2 June", D),
            ("Buncombe County", L),
        ),
    ),
    Prose(
        "ops_bulletin",
        """Payments ops bulletin: from the 2026 release (v3.14.2) the FedWire cut-off moves to 17:45 ET.
Test transfers should use ABA 021000021 and the sandbox BIC CHASUS33XXX. Ticket INC0049213 tracks the rollout.
SWIFT gpi tracker UETR format is unchanged; ISO 20022 pacs.008 fields 2.1 to 2.47 are mandatory.""",
    ),
    Prose(
        "policy_memo",
        """Card operations: chargebacks coded 10.4 (card-absent fraud) rose 12% quarter on quarter.
Merchants with MCC 5542 (fuel) account for a third. Invoice INV-2025-00112 from the tokenisation vendor is approved.""",
    ),
    Prose(
        "complaint_email",
        """Subject: Re: your letter ref 88-1042-A

Dear team, I'm writing for my father, Venkatesh Iyer, who had a stroke and can't use the phone. Your letter of 19
August 2025 says his direct debit failed, but the account (sort code 20-45-77, account 43198720) has funds. Please
speak to me, Lakshmi Iyer, on +91 98450 12345 or write to Prestige Lakeview, 14th Cross, Indiranagar, Bengaluru
560038. I hold his power of attorney.""",
        (
            ("Venkatesh Iyer", P),
            ("19\nAugust 2025", D),
            ("Lakshmi Iyer", P),
            ("43198720", "US_BANK_NUMBER"),
            ("+91 98450 12345", "PHONE_NUMBER"),
            ("Prestige Lakeview, 14th Cross, Indiranagar, Bengaluru\n560038", A),
        ),
    ),
    Prose(
        "kyc_writeup",
        """Onboarding check, business account. Director Chukwuemeka Obi (born 22-07-1979, BVN not
provided) presented a Texas driver licence 30418826 and a utility bill for 5901 Lakeshore Drive, Lubbock, TX 79424.
Company registered in Lagos with a US branch. Incoming funds from Abuja expected monthly.
Customer's IP at onboarding 41.203.64.130.""",
        (
            ("Chukwuemeka Obi", P),
            ("22-07-1979", D),
            ("30418826", "US_DRIVER_LICENSE"),
            ("5901 Lakeshore Drive, Lubbock, TX 79424", A),
            ("Lagos", L),
            ("Abuja", L),
            ("41.203.64.130", "IP_ADDRESS"),
        ),
    ),
    Prose(
        "call_transcript",
        """rep: thanks for holding. i've got your file up, mrs d'arcy?
caller: yes, niamh d'arcy
rep: and you want to update your phone and email
caller: phone is 087 214 5521 and email niamh underscore darcy at outlook dot ie
rep: lovely. and we still have you at 14 main street, cork, t12 k8af?
caller: that's right""",
        (
            ("d'arcy", P),
            ("niamh d'arcy", P),
            ("087 214 5521", "PHONE_NUMBER"),
            ("niamh underscore darcy at outlook dot ie", "EMAIL_ADDRESS"),
            ("14 main street, cork, t12 k8af", A),
        ),
    ),
    Prose(
        "loan_application",
        """Mortgage pre-approval, joint. Applicants João Pereira and Gabriela dos Santos Pereira, both
of Rua Augusta, 1520, apto 84, São Paulo - SP, 01304-001, relocating to Toronto for work. Offer valid until
30 Sept 2025. Down payment held at Itaú, account 10482-7. SIN not yet issued.""",
        (
            ("João Pereira", P),
            ("Gabriela dos Santos Pereira", P),
            ("Rua Augusta, 1520, apto 84, São Paulo - SP, 01304-001", A),
            ("Toronto", L),
            ("30 Sept 2025", D),
            ("10482-7", "US_BANK_NUMBER"),
        ),
    ),
    Prose(
        "ops_bulletin",
        """Incident review: the nightly ACH file (batch 0042) was rejected because the routing number 123456789
failed validation; the correct clearing route is 011000015. No customer data was exposed. Root cause: config
version 2.3.1 shipped with a test value. Action items tracked in OPS-5120 and OPS-5121.""",
    ),
    Prose(
        "fraud_writeup",
        """SIM-swap report: the customer, Yuxin Zhou, lost mobile service on 27/11/2025 around 10pm. Within
the hour her email password (yuxin.zhou@icloud.com) was reset and a new device enrolled from 203.0.113.54.
The attacker tried to add card 6011108625399923 to a wallet; blocked by velocity rules.""",
        (
            ("Yuxin Zhou", P),
            ("27/11/2025", D),
            ("yuxin.zhou@icloud.com", "EMAIL_ADDRESS"),
            ("203.0.113.54", "IP_ADDRESS"),
            ("6011108625399923", "CREDIT_CARD"),
        ),
    ),
    Prose(
        "kyc_writeup",
        """Address change with ID: customer Gregory Stanton presented Michigan licence N199911513711 and
moved from Flint to 33 Elm Terrace, Ste 1450, Ann Arbor, MI 48104 on 01-08-2025. Old address 912 N 4th St,
Flint, MI 48503 retained for 90 days. Phone unchanged, 810-555-0161.""",
        (
            ("Gregory Stanton", P),
            ("N199911513711", "US_DRIVER_LICENSE"),
            ("Flint", L),
            ("33 Elm Terrace, Ste 1450, Ann Arbor, MI 48104", A),
            ("01-08-2025", D),
            ("912 N 4th St,\nFlint, MI 48503", A),
            ("810-555-0161", "PHONE_NUMBER"),
        ),
    ),
    Prose(
        "ops_bulletin",
        """Branch notice: the ATM at the downtown branch is out of service until the vendor (ticket
INC0057731) replaces the card reader, firmware 7.4.2. Customers can use the machines listed in circular OPS-6620.
Coin counters accept up to $500 per visit. SWIFT BIC for incoming international wires: BOFAUS3N.""",
    ),
]

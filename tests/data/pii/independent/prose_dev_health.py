"""Hand-written health documents for the dev split (written for this dataset; all people are invented)."""

from __future__ import annotations

from tests.data.pii.independent.handwritten import Prose

P, A, L, D = "PERSON", "STREET_ADDRESS", "LOCATION", "DATE_TIME"

DOCS: list[Prose] = [
    Prose(
        "referral_letter",
        """Dear Dr Okafor,

Re: Ngozi Adeyemi, DOB 14/02/1971, 22 Birchwood Close, Sale, Manchester M33 4HN

Thank you for seeing this 54-year-old lady with a three-month history of bloody diarrhoea. Her sister was diagnosed
with Crohn's disease in her twenties. Calprotectin was 812 ug/g on 03/09/2025. She is on mesalazine 2.4 g/day with
little effect. She works night shifts and would prefer an afternoon slot; her mobile is 07700 900461.

Kind regards,
Dr Harriet Blackwood""",
        (
            ("Okafor", P),
            ("Ngozi Adeyemi", P),
            ("14/02/1971", D),
            ("22 Birchwood Close, Sale, Manchester M33 4HN", A),
            ("03/09/2025", D),
            ("07700 900461", "PHONE_NUMBER"),
            ("Harriet Blackwood", P),
        ),
    ),
    Prose(
        "patient_message",
        """hi its sunita raghunathan, my daughter priya (born 2 aug 2016) has had a rash since
the weekend. we are visiting family in koramangala until 20 march so can you email instead of calling? my address
here is sunita dot r at rediffmail dot com. her member number is XEH482910375. thanks""",
        (
            ("sunita raghunathan", P),
            ("priya", P),
            ("2 aug 2016", D),
            ("koramangala", L),
            ("20 march", D),
            ("sunita dot r at rediffmail dot com", "EMAIL_ADDRESS"),
            ("XEH482910375", "HEALTH_PLAN_ID"),
        ),
    ),
    Prose(
        "discharge_summary",
        """DISCHARGE SUMMARY
Name: WHITFIELD, Gregory J.    MRN 00482913    Admitted 11-Nov-2024    Discharged 15-Nov-2024
Diagnosis: community-acquired pneumonia (J18.9) on a background of Parkinson's disease (G20).
Course: IV co-amoxiclav for 48 hours then oral. Lowest SpO2 89%. CRP fell from 212 to 38 mg/L.
Follow up: GP review in one week; chest X-ray in 6 weeks. Carer (wife, Denise Whitfield) on (614) 555-0187.
Discharging clinician: Dr A. Kowalczyk, NPI 1563272958""",
        (
            ("WHITFIELD, Gregory J.", P),
            ("00482913", "MEDICAL_RECORD_NUMBER"),
            ("11-Nov-2024", D),
            ("15-Nov-2024", D),
            ("Denise Whitfield", P),
            ("(614) 555-0187", "PHONE_NUMBER"),
            ("A. Kowalczyk", P),
            ("1563272958", "NPI"),
        ),
    ),
    Prose(
        "clinical_note",
        """S: 31yo M, pt of Dr. Chen, c/o palpitations x2 wks. Admits using Tina and Molly at a party last
month. No syncope. FHx: father had Graves' disease.
O: HR 112 irregular, BP 142/88. TSH 0.02 mIU/L. ECG AF.
A/P: new AF, likely thyrotoxic vs stimulant. Started bisoprolol 2.5 mg. Refer endocrine. Pt declined HIV test.""",
        (("Chen", P),),
    ),
    Prose(
        "lab_report",
        """CITY PATHOLOGY - CUMULATIVE REPORT
Patient: Lê Thị Hồng   Hosp no: E1204873   DOB: 09.05.1958
Specimen collected 2025-01-07 08:14, received 2025-01-07 09:02
Na 138 mmol/L | K 5.9 mmol/L (H) | Creat 1.9 mg/dL (H) | eGFR 31
Comment: haemolysed sample excluded. Phoned to ward nurse Kyle Ostrowski at 09:40.""",
        (
            ("Lê Thị Hồng", P),
            ("E1204873", "MEDICAL_RECORD_NUMBER"),
            ("09.05.1958", D),
            ("2025-01-07 08:14", D),
            ("2025-01-07 09:02", D),
            ("Kyle Ostrowski", P),
        ),
    ),
    Prose(
        "call_transcript",
        """agent: pharmacy line, this is dana, who am i speaking with
caller: uh hi, it's oluwaseun balogun, b-a-l-o-g-u-n
agent: and your date of birth
caller: thirtieth of june nineteen eighty. 30/06/1980
agent: ok and the address we'd deliver to
caller: flat 3, 41 kingsley road, liverpool l8 2tz
agent: great. the prescriber on the script is dr reddy, dea number ar1883087? let me check.
caller: it's for the apixaban 5 mg
agent: alright, you'll get a text on 0151 496 0722 when it ships""",
        (
            ("dana", P),
            ("oluwaseun balogun", P),
            ("30/06/1980", D),
            ("thirtieth of june nineteen eighty", D),
            ("flat 3, 41 kingsley road, liverpool l8 2tz", A),
            ("reddy", P),
            ("ar1883087", "DEA_NUMBER"),
            ("0151 496 0722", "PHONE_NUMBER"),
        ),
    ),
    Prose(
        "referral_letter",
        """To the Memory Clinic, Lakeside Hospital

I would be grateful if you could assess Mr Pádraig O'Sullivan (d.o.b. 17th March 1944), who lives with his
daughter Aoife at 7 Glasnevin Avenue, Dublin 11, D11 X2F3. His MMSE is 21/30, down from 26 last year. B12 and
TSH normal. He has not driven since the family moved from County Kerry. Please contact Aoife on +353 87 214 9930.

Yours faithfully,
Dr Róisín Ní Bhriain""",
        (
            ("Pádraig O'Sullivan", P),
            ("17th March 1944", D),
            ("Aoife", P),
            ("7 Glasnevin Avenue, Dublin 11, D11 X2F3", A),
            ("County Kerry", L),
            ("+353 87 214 9930", "PHONE_NUMBER"),
            ("Róisín Ní Bhriain", P),
        ),
    ),
    Prose(
        "clinical_note",
        """Prescriber note: Dr Emeka Okafor (DEA FO0905363, NPI 2639233214) authorised oxycodone 5 mg,
#20, no refills, for Mr Tariq Haddad after ORIF on 4/22/2025. PDMP checked. Patient lives at 1180 Cherry Hill Rd NE,
Apt 3F, Cedar Rapids, IA 52402 and drives; counselled on sedation.""",
        (
            ("Emeka Okafor", P),
            ("FO0905363", "DEA_NUMBER"),
            ("2639233214", "NPI"),
            ("Tariq Haddad", P),
            ("4/22/2025", D),
            ("1180 Cherry Hill Rd NE, Apt 3F, Cedar Rapids, IA 52402", A),
        ),
    ),
    Prose(
        "patient_message",
        """Hello Doctor, I am Zhang Xiaoling. I changed my phone to +86 138 2231 0457 and moved to 16
Portage Ave, Winnipeg, MB R3C 0V8 on the first of February. Can my blood test be done at the clinic in St. Boniface
instead? My husband Liu Jianguo will drive me. Thank you.""",
        (
            ("Zhang Xiaoling", P),
            ("+86 138 2231 0457", "PHONE_NUMBER"),
            ("16\nPortage Ave, Winnipeg, MB R3C 0V8", A),
            ("first of February", D),
            ("St. Boniface", L),
            ("Liu Jianguo", P),
        ),
    ),
    Prose(
        "discharge_summary",
        """Neonatal discharge note
Baby girl of Fernanda Oliveira, born 2025-03-18 at 04:52, 3.41 kg, Apgar score 8 and 9.
Newborn screen sent. Hep B given. Mother's chart MR558210; infant chart MR558211.
Suspected Down syndrome features were discussed; karyotype pending. Parents live in Fishtown and have a car seat.""",
        (
            ("Fernanda Oliveira", P),
            ("2025-03-18 at 04:52", D),
            ("MR558210", "MEDICAL_RECORD_NUMBER"),
            ("MR558211", "MEDICAL_RECORD_NUMBER"),
            ("Fishtown", L),
        ),
    ),
    Prose(
        "lab_report",
        """Microbiology: urine culture
>10^5 CFU/mL E. coli. Resistant: amoxicillin, trimethoprim. Sensitive: nitrofurantoin, fosfomycin.
Suggest nitrofurantoin 100 mg MR BD for 3 days if eGFR > 45. Method ref ISO 20776-1. Instrument firmware v4.2.17.""",
    ),
    Prose(
        "clinical_note",
        """Team huddle notes (no patient identifiers): bay 4 has two Hodgkin lymphoma patients on ABVD,
bay 6 is closed for cleaning. Reminder that "Charlie" and "Mary Jane" in triage notes refer to cocaine and cannabis.
CPT 99223 audit due this quarter. Pharmacy stock of insulin glargine is low; use LOT 23B117 first.""",
    ),
    Prose(
        "patient_message",
        """Dear Sir, my name is Wojciech Zieliński and my insurance card says member ID
W482201934. Please send the bill to ul. Piotrkowska 104 m. 7, 90-006 Łódź, not to my old address in Kraków. I can
be emailed at w.zielinski@wp.pl. Regards, W. Zieliński""",
        (
            ("Wojciech Zieliński", P),
            ("W482201934", "HEALTH_PLAN_ID"),
            ("ul. Piotrkowska 104 m. 7, 90-006 Łódź", A),
            ("Kraków", L),
            ("w.zielinski@wp.pl", "EMAIL_ADDRESS"),
            ("W. Zieliński", P),
        ),
    ),
    Prose(
        "clinical_note",
        """Telehealth visit 08/04/2025 (dd/mm). Connected from IP 86.142.77.19; video dropped twice.
Patient Hoang Van Tuan, seen with interpreter Mai Pham. Diabetes review: HbA1c 7.2%, metformin 500 mg BID,
eye screening booked. He is travelling to Da Nang for a month soon.""",
        (
            ("08/04/2025", D),
            ("86.142.77.19", "IP_ADDRESS"),
            ("Hoang Van Tuan", P),
            ("Mai Pham", P),
            ("Da Nang", L),
        ),
    ),
    Prose(
        "referral_letter",
        """Referral: paediatric cardiology
Child: Chiamaka Eze   DOB: 3.11.2019   NHS-style ID: not issued
Parent: Ifeoma Eze, 15 Adeola Odeku Street, Victoria Island, Lagos, phone +234 803 455 1290
Murmur heard at 6 week check; echo locally showed a small VSD. Family travelling to Houston for a second opinion.""",
        (
            ("Chiamaka Eze", P),
            ("3.11.2019", D),
            ("Ifeoma Eze", P),
            ("15 Adeola Odeku Street, Victoria Island, Lagos", A),
            ("+234 803 455 1290", "PHONE_NUMBER"),
            ("Houston", L),
        ),
    ),
    Prose(
        "clinical_note",
        """Wound clinic. Dressing changed, granulation healthy, size 2.1 x 1.4 cm (was 3.0 x 2.2 cm two
weeks ago). Continue silver alginate every 48 hours. Review in 7 days. Codes L97.412, CPT 97597.""",
    ),
    Prose(
        "call_transcript",
        """nurse: after hours line, how can i help
caller: hi yeah my husband jesús castañeda, he's diabetic, his sugar is 2.8
nurse: is he conscious? can he swallow
caller: yes he's talking
nurse: ok give him juice now. what's your address in case we send the ambulance
caller: 4417 magnolia way, unit 7, gainesville, fl 32608
nurse: and a callback number
caller: 352 555 0199 extension 12, that's the house""",
        (
            ("jesús castañeda", P),
            ("4417 magnolia way, unit 7, gainesville, fl 32608", A),
            ("352 555 0199 extension 12", "PHONE_NUMBER"),
        ),
    ),
    Prose(
        "clinical_note",
        """pre-op check 14/05/2025. pt aisha abubakar (aisha), 45, booked for lap chole on 21/05/2025 at
the day unit. allergic to penicillin. positive murphy's sign last week. lives 20 min away in yaba, lagos, staying
with cousin during recovery. id checked: new jersey driver's licence H16449186099969. consent signed.""",
        (
            ("14/05/2025", D),
            ("aisha abubakar", P),
            ("aisha", P),
            ("21/05/2025", D),
            ("yaba, lagos", L),
            ("H16449186099969", "US_DRIVER_LICENSE"),
        ),
    ),
    Prose(
        "lab_report",
        """Remote access audit for the LIS, week 19
staff member Marta Castillo logged in from 2600:1700:3e4a:9b10::2f at 2025-05-06 07:58 and from 73.158.21.240 at 2025-05-06
19:03; reviewed results for 14 patients incl. Guo Haoran (E5530912). Flagged for unusual hours. Lab director:
Dr Fatima Ibrahim, NPI 1490325184.""",
        (
            ("Marta Castillo", P),
            ("2600:1700:3e4a:9b10::2f", "IP_ADDRESS"),
            ("2025-05-06 07:58", D),
            ("73.158.21.240", "IP_ADDRESS"),
            ("2025-05-06\n19:03", D),
            ("Guo Haoran", P),
            ("E5530912", "MEDICAL_RECORD_NUMBER"),
            ("Fatima Ibrahim", P),
            ("1490325184", "NPI"),
        ),
    ),
]

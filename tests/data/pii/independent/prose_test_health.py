"""Hand-written health documents for the test split (never used for tuning; all people are invented)."""

from __future__ import annotations

from tests.data.pii.independent.handwritten import Prose

P, A, L, D = "PERSON", "STREET_ADDRESS", "LOCATION", "DATE_TIME"

DOCS: list[Prose] = [
    Prose(
        "referral_letter",
        """Orthopaedic referral

Dear Mr Nwosu,

I'd be grateful for your opinion on Ms Małgorzata Wójcik, date of birth 23 Oct 1962, who fell on ice outside her
home at Schillerweg 14, 04109 Leipzig while visiting her son in December and has had knee pain since. MRI showed a
complex medial meniscal tear. She is back home now at 318 Pine Ridge Ct, Madison, WI 53711 and can be reached on
608-555-0142 ext. 3. She takes apixaban 5 mg twice daily for AF.

Best wishes,
Dr Kofi Mensah-Bonsu""",
        (
            ("Nwosu", P),
            ("Małgorzata Wójcik", P),
            ("23 Oct 1962", D),
            ("Schillerweg 14, 04109 Leipzig", A),
            ("318 Pine Ridge Ct, Madison, WI 53711", A),
            ("608-555-0142 ext. 3", "PHONE_NUMBER"),
            ("Kofi Mensah-Bonsu", P),
        ),
    ),
    Prose(
        "clinical_note",
        """ED triage 02:40. 19F brought by friends from a club in Pilsen, says she took "molly" and drank
about 3 L of water. Na 124 mmol/L. GCS 14. Name given as Ximena Ortiz Medina, DOB 5/17/2006, no ID on her. Friend
(Brandon) gave his number 773.555.0116. Fluid restrict, repeat Na in 2 h.""",
        (
            ("Pilsen", L),
            ("Ximena Ortiz Medina", P),
            ("5/17/2006", D),
            ("Brandon", P),
            ("773.555.0116", "PHONE_NUMBER"),
        ),
    ),
    Prose(
        "discharge_summary",
        """Discharge letter
Patient: Mr Khalid Abdel-Rahman (MRN 7734-221, DOB 1949-12-01)
Admission: 14/03/2025 via ED with decompensated heart failure. Discharge: 21/03/2025.
Weight down 6.2 kg on IV furosemide. Echo EF 30%. Started sacubitril/valsartan 24/26 mg BD.
GP: Dr Ruth Stanton, NPI 1372836050. Heart failure nurse will phone the patient's son Omar on 0161 496 0288.""",
        (
            ("Khalid Abdel-Rahman", P),
            ("7734-221", "MEDICAL_RECORD_NUMBER"),
            ("1949-12-01", D),
            ("14/03/2025", D),
            ("21/03/2025", D),
            ("Ruth Stanton", P),
            ("1372836050", "NPI"),
            ("Omar", P),
            ("0161 496 0288", "PHONE_NUMBER"),
        ),
    ),
    Prose(
        "patient_message",
        """to the clinic - my name is nguyen thi thu trang, I had my baby on 11.09.2025 at your hospital.
I need the birth paperwork sent to my new place: 2207 E 38th Street, #207, Savannah, GA 31404. my insurance
member id W194269139. please text 912 555 0163, I don't check email often""",
        (
            ("nguyen thi thu trang", P),
            ("11.09.2025", D),
            ("2207 E 38th Street, #207, Savannah, GA 31404", A),
            ("W194269139", "HEALTH_PLAN_ID"),
            ("912 555 0163", "PHONE_NUMBER"),
        ),
    ),
    Prose(
        "lab_report",
        """HAEMATOLOGY
Hb 9.1 g/dL (L), MCV 71 fL (L), ferritin 6 ug/L (L), platelets 412 x10^9/L.
Film: microcytic hypochromic picture, pencil cells. Suggest iron studies follow-up and coeliac serology.
Analyser: Sysmex XN-1000, software 2.3.1; QC lot 23B117 passed.""",
    ),
    Prose(
        "call_transcript",
        """triage nurse: 111, can i take the patient's name
caller: it's my son, his name is cian o'driscoll
triage nurse: how old is he, and his date of birth
caller: he's four. fourth of april twenty twenty one
triage nurse: ok. where are you now
caller: at my mam's, 19 oakpark road, galway, h91 e2w7
triage nurse: is he breathing normally?
caller: he's wheezy, he has the blue inhaler
triage nurse: ok give ten puffs through the spacer. i'm sending the GP out-of-hours, they'll ring 091 555 0147""",
        (
            ("cian o'driscoll", P),
            ("fourth of april twenty twenty one", D),
            ("19 oakpark road, galway, h91 e2w7", A),
            ("091 555 0147", "PHONE_NUMBER"),
        ),
    ),
    Prose(
        "clinical_note",
        """Controlled drug register check: prescription for methylphenidate 18 mg for Haoran Guo (MRN E7791024)
signed by Dr B. Subramanian, DEA BS3579248. Script dated 06/30/2025 and presented 07/02/2025. Pharmacist called
the surgery in Dayton to confirm.""",
        (
            ("Haoran Guo", P),
            ("E7791024", "MEDICAL_RECORD_NUMBER"),
            ("B. Subramanian", P),
            ("BS3579248", "DEA_NUMBER"),
            ("06/30/2025", D),
            ("07/02/2025", D),
            ("Dayton", L),
        ),
    ),
    Prose(
        "referral_letter",
        """Dear Colleague,

Re: Layla al-Hashimi   d.o.b. 30-01-1994   Address: 27 Hawthorn Road, Roath, Cardiff CF24 4HQ

Layla has a two-year history of hand tremor and weight loss. TSH was suppressed (<0.01) and TRAb positive,
in keeping with Graves' disease. She is planning a pregnancy. I've started carbimazole 20 mg. Could your team in
Bristol see her? Her email is layla.alhashimi [at] gmail [dot] com.

Yours, Dr Tran""",
        (
            ("Layla al-Hashimi", P),
            ("30-01-1994", D),
            ("27 Hawthorn Road, Roath, Cardiff CF24 4HQ", A),
            ("Layla", P),
            ("Bristol", L),
            ("layla.alhashimi [at] gmail [dot] com", "EMAIL_ADDRESS"),
            ("Tran", P),
        ),
    ),
    Prose(
        "clinical_note",
        """Journal club summary: early levodopa in Parkinson's disease did not change progression at 80
weeks. Separately, the Hodgkin survivorship clinic now screens for cardiotoxicity at 5 years. The Apgar score
audit (n = 412) found 3% below 7 at five minutes. Next meeting room 4B, 12:30.""",
    ),
    Prose(
        "patient_message",
        """Dear Dr Albuquerque, this is Rafaela Souza writing about my mother, Ana Clara Souza (born
12/08/1950). She was discharged yesterday from ward 7 but the pharmacy only gave her 3 days of enoxaparin.
She lives alone in Mission District now. Can someone call me at +55 11 91234-5678? Obrigada, Rafaela""",
        (
            ("Albuquerque", P),
            ("Rafaela Souza", P),
            ("Ana Clara Souza", P),
            ("12/08/1950", D),
            ("Mission District", L),
            ("+55 11 91234-5678", "PHONE_NUMBER"),
            ("Rafaela", P),
        ),
    ),
    Prose(
        "lab_report",
        """Point-of-care glucose meter sync log
device 10.42.7.19 uploaded 214 readings for patient J. Harper-Nakamura (chart 45-22-19) at 2025-05-30T06:12:44Z
range 3.1 - 17.8 mmol/L; 4 readings < 4.0. Firmware 1.8.3. Sync server fe80::1c2b:3cff:fe4d:5e6f""",
        (
            ("10.42.7.19", "IP_ADDRESS"),
            ("J. Harper-Nakamura", P),
            ("45-22-19", "MEDICAL_RECORD_NUMBER"),
            ("2025-05-30T06:12:44Z", D),
            ("fe80::1c2b:3cff:fe4d:5e6f", "IP_ADDRESS"),
        ),
    ),
    Prose(
        "clinical_note",
        """Pharmacy stewardship note: vancomycin troughs above 20 mg/L in 6 of 30 courses last quarter.
Switch to AUC-guided dosing (target 400-600 mg.h/L). Use the Bayesian calculator v2.0.4. Order set OPS-2219 updated.
No patient-level data included.""",
    ),
    Prose(
        "discharge_summary",
        """Mental health discharge summary (abridged)
Service user: Oisín MacGowan, DOB 29.02.1996, NHS/plan ref U4471920385
Admitted under section on 01.10.2025 after being found in Lancashire with no money. Discharged 24.10.2025 to
supported housing at 5 Mill Close, Selly Oak, Birmingham B29 6BD. Care coordinator: Jing Zhou, tel 0121 496 0735.
Relapse signature: stops eating, uses "Charlie" and spice.""",
        (
            ("Oisín MacGowan", P),
            ("29.02.1996", D),
            ("U4471920385", "HEALTH_PLAN_ID"),
            ("01.10.2025", D),
            ("Lancashire", L),
            ("24.10.2025", D),
            ("5 Mill Close, Selly Oak, Birmingham B29 6BD", A),
            ("Jing Zhou", P),
            ("0121 496 0735", "PHONE_NUMBER"),
        ),
    ),
    Prose(
        "call_transcript",
        """operator: 911 what's the address of your emergency
caller: 8820 county road 12, lot 19, reno, nv 89506
operator: what's happening
caller: my dad, robert yates, he's 70, he fell and he's not making sense, his face is drooping
operator: what time did this start
caller: maybe twenty minutes ago, around 6:15
operator: ok help is on the way. is this number 775 555 0192 the best one to call back""",
        (
            ("8820 county road 12, lot 19, reno, nv 89506", A),
            ("robert yates", P),
            ("775 555 0192", "PHONE_NUMBER"),
        ),
    ),
    Prose(
        "clinical_note",
        """Home visit. Mrs Okonkwo (Funmilayo) seen at home with her niece. BP 168/94 sitting. Foot exam
shows reduced monofilament sensation. DM since 2009; on insulin glargine 18 units. Niece will bring the meter
readings to the surgery on Tuesday 9 December. Next of kin updated: Adaeze Okonkwo, 07700 900 884.""",
        (
            ("Okonkwo", P),
            ("Funmilayo", P),
            ("9 December", D),
            ("Adaeze Okonkwo", P),
            ("07700 900 884", "PHONE_NUMBER"),
        ),
    ),
    Prose(
        "referral_letter",
        """Vascular referral, 2 Sept 2025
Name: Kowalczyk, Grzegorz   DOB: 4 IV 1955   Hosp no: HN4829103
Intermittent claudication at 100 m, ABPI 0.62 right. Smoker 40 pack-years. On atorvastatin 40 mg at night.
Please see in the vascular clinic (Dr Meyer-Landrut). Pt lives in Germantown; daughter drives.""",
        (
            ("2 Sept 2025", D),
            ("Kowalczyk, Grzegorz", P),
            ("4 IV 1955", D),
            ("HN4829103", "MEDICAL_RECORD_NUMBER"),
            ("Meyer-Landrut", P),
            ("Germantown", L),
        ),
    ),
    Prose(
        "patient_message",
        """Question about a bill. Statement ref INV-2025-08812 lists CPT 99214 and 36415 twice and codes
E11.9 and I10. The total is $412.60 but my plan's EOB shows $120. I paid by cheque last month. Could someone look
at whether the duplicate line can be removed? Thanks.""",
    ),
    Prose(
        "referral_letter",
        """Dear Dr Castillo,

Please see Mrs Małgorzata Nowakowska (ur. 03.03.1961), recently moved from Gdańsk to live with her son at
4420 Sycamore Lane, Unit 12, Allentown, PA 18103. She has Barrett's oesophagus on a 2019 biopsy and needs
surveillance endoscopy. Her son Tomasz can interpret: tomasz.nowakowski at wp dot pl, +48 601 220 914.

Dr G. Ibrahim, DEA FI0627565""",
        (
            ("Castillo", P),
            ("Małgorzata Nowakowska", P),
            ("03.03.1961", D),
            ("Gdańsk", L),
            ("4420 Sycamore Lane, Unit 12, Allentown, PA 18103", A),
            ("Tomasz", P),
            ("tomasz.nowakowski at wp dot pl", "EMAIL_ADDRESS"),
            ("+48 601 220 914", "PHONE_NUMBER"),
            ("G. Ibrahim", P),
            ("FI0627565", "DEA_NUMBER"),
        ),
    ),
    Prose(
        "patient_message",
        """hey its keisha, keisha pruitt. my ohio license is MV481625 and the front desk said they need it
for the new card. also my birthday is wrong on the portal, it's 7th of november 1989 not 11/7. i'm in columbus now
not dayton. thx""",
        (
            ("keisha", P),
            ("keisha pruitt", P),
            ("MV481625", "US_DRIVER_LICENSE"),
            ("7th of november 1989", D),
            ("11/7", D),
            ("columbus", L),
            ("dayton", L),
        ),
    ),
]

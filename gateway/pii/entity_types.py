"""The PII / PHI entity types Bulwark detects out of the box. Policies name these (or their own types)."""

from __future__ import annotations

PERSON = "PERSON"
LOCATION = "LOCATION"
STREET_ADDRESS = "STREET_ADDRESS"
DATE_TIME = "DATE_TIME"
EMAIL_ADDRESS = "EMAIL_ADDRESS"
PHONE_NUMBER = "PHONE_NUMBER"
US_SSN = "US_SSN"
CREDIT_CARD = "CREDIT_CARD"
IBAN_CODE = "IBAN_CODE"
SWIFT_CODE = "SWIFT_CODE"
ABA_ROUTING_NUMBER = "ABA_ROUTING_NUMBER"
US_BANK_NUMBER = "US_BANK_NUMBER"
MEDICAL_RECORD_NUMBER = "MEDICAL_RECORD_NUMBER"
NPI = "NPI"
HEALTH_PLAN_ID = "HEALTH_PLAN_ID"
DEA_NUMBER = "DEA_NUMBER"
US_DRIVER_LICENSE = "US_DRIVER_LICENSE"
IP_ADDRESS = "IP_ADDRESS"
# Terms a tenant lists in its deny-list are reported under this type unless the entry names another.
DENY_LIST = "DENY_LIST"

BUILTIN_ENTITY_TYPES: frozenset[str] = frozenset(
    {
        PERSON,
        LOCATION,
        STREET_ADDRESS,
        DATE_TIME,
        EMAIL_ADDRESS,
        PHONE_NUMBER,
        US_SSN,
        CREDIT_CARD,
        IBAN_CODE,
        SWIFT_CODE,
        ABA_ROUTING_NUMBER,
        US_BANK_NUMBER,
        MEDICAL_RECORD_NUMBER,
        NPI,
        HEALTH_PLAN_ID,
        DEA_NUMBER,
        US_DRIVER_LICENSE,
        IP_ADDRESS,
        DENY_LIST,
    }
)

"""Names written the same way before Splink compares them (pure)."""

from palermo.linkage.names import canonical_forename, fold, sound_key, split_full_name
from palermo.linkage.records import normal_dob, truth_key


def test_cyrillic_greek_and_diacritics_fold_to_the_same_latin_letters() -> None:
    assert fold("Ђорђе Јовановић") == fold("Đorđe Jovanović") == "djordje jovanovic"
    assert fold("Йордан") == "yordan"
    assert fold("Γιώργος Παπαδόπουλος") == "giorgos papadopoulos"
    assert fold("Ştefan Ţurcanu") == "stefan turcanu"
    assert fold("Al-Hassan") == "alhassan"
    assert fold(None) == ""


def test_spellings_of_one_sound_share_a_key() -> None:
    assert sound_key(fold("Hoxha")) == sound_key(fold("Hodja")) == sound_key(fold("Hodža")) == sound_key(
        fold("Ходжа"))
    assert sound_key("jovanovic") == sound_key("yovanovich")


def test_nicknames_and_name_order() -> None:
    assert canonical_forename("bob") == "robert"
    assert canonical_forename("sasha") == canonical_forename("aleksandar") == "aleksandar"
    assert canonical_forename("ardit") == "ardit"
    assert split_full_name("HOXHA Ardit") == ("Ardit", "HOXHA")
    assert split_full_name("Hoxha, Ardit") == ("Ardit", "Hoxha")
    assert split_full_name("A. Hodja") == ("A", "Hodja")


def test_dates_and_labels() -> None:
    assert normal_dob("19560409") == "1956-04-09"
    assert normal_dob("09.04.1956") == "1956-04-09"
    assert normal_dob("1956-13-09") == "1956-13-09"  # a typo stays for Splink's levels
    assert normal_dob("") is None
    assert truth_key("rec-1496-dup-3") == truth_key("rec-1496-org") == "1496"
    assert truth_key("17") == "17"

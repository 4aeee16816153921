import pytest

from shortbreaks.core.postcodes import PostcodeError, distance_km, district_of, locate


def test_full_postcode_uses_its_sector_centroid():
    place = locate("de1 3ab")
    assert place.postcode == "DE1 3AB"
    assert place.district == "DE1"
    assert place.latitude == pytest.approx(52.92, abs=0.05)


def test_postcode_without_a_space_is_understood():
    assert locate("DE13AB").postcode == "DE1 3AB"


def test_district_alone_uses_the_district_centroid():
    assert locate("DE22").district == "DE22"


def test_unknown_sector_falls_back_to_its_district():
    # DE1 4 is not a sector in the data, but DE1 is a district.
    assert locate("DE1 4ZZ").district == "DE1"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Enter a postcode"),
        ("hello", "Enter a real postcode, like DE1 3AB"),
        ("12345", "Enter a real postcode, like DE1 3AB"),
        ("ZZ9 9ZZ", "We could not find the postcode ZZ9 9ZZ. Check it and try again"),
    ],
)
def test_bad_postcodes_say_what_to_fix(raw, message):
    with pytest.raises(PostcodeError) as error:
        locate(raw)
    assert str(error.value) == message


def test_district_of_rejects_nonsense():
    assert district_of("de22 1ab") == "DE22"
    with pytest.raises(PostcodeError):
        district_of("not a postcode")


def test_distance_is_close_to_the_great_circle():
    # Derby to Nottingham centres: about 22 km as the crow flies.
    derby, nottingham = locate("DE1 3AB"), locate("NG1 5")
    assert distance_km(derby.latitude, derby.longitude, nottingham.latitude, nottingham.longitude) == pytest.approx(
        22, abs=2
    )

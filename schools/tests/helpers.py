from core.testing import make_child, make_user


def add_families(world, group, count: int, start: int = 0) -> None:
    """Fill a class with `count` more pupils, each with two guardians of their own."""
    for n in range(start, start + count):
        mother = make_user(f"mother{n}@example.test", f"Moeder{n}", f"Achternaam{n}")
        father = make_user(f"father{n}@example.test", f"Vader{n}", f"Achternaam{n}")
        make_child(world.school, group, f"Kind{n}", f"Achternaam{n}", mother, father)


def admin_url(world, tail: str = "") -> str:
    return f"/school/{world.school.public_id}/{tail}"

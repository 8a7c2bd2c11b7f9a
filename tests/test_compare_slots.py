"""Small counts that one thing holds across sentences no alignment pairs (compare/slots.py): a
player's points told in two wordings, a count hung on the same word. Each case has a twin that
must not be shown as a conflict."""
from __future__ import annotations

from storyline.compare.nlp import analyse
from storyline.compare.slots import (
    anchored_conflicts,
    calibre_conflicts,
    game_clock_conflicts,
    order_conflicts,
    schedule_conflicts,
)
from storyline.model import Article


def found_by(detector, *bodies: list[str]) -> list[tuple[set[str], float]]:
    """What one detector finds among articles (one per body): each conflict's values and confidence."""
    analysed = analyse([Article(title="", body=list(b), id=str(i)) for i, b in enumerate(bodies)])
    sentences = [s for ss in analysed for s in ss]
    return [({cl.value for cl in c.claims}, c.confidence)
            for _, _, c, _ in detector(sentences, list(range(len(bodies))))]


def anchored(*bodies: list[str]) -> list[tuple[set[str], float]]:
    return found_by(anchored_conflicts, *bodies)


def clocks(*bodies: list[str]) -> list[set[str]]:
    return [values for values, _ in found_by(game_clock_conflicts, *bodies)]


def orders(*bodies: list[str]) -> list[set[str]]:
    return [values for values, _ in found_by(order_conflicts, *bodies)]


def test_a_players_figure_in_two_wordings_is_one_count():
    found = anchored(["Tomas Reyes scored 14 points as Port Alder beat Redmarsh on Friday night."],
                     ["Ilkka Varis led Port Alder with 19 points, while Tomas Reyes added 12 for the visitors."])
    assert found == [({"14", "12"}, 1.0)]


def test_a_count_hung_on_the_same_word_and_the_same_ship():
    found = anchored(["The raiders, in three boats, tried to board the tanker Corva Star before the frigate Velde "
                      "drove them off."],
                     ["The raiders in two boats had surrounded the Corva Star when the frigate Velde arrived."])
    assert found == [({"three", "two"}, 1.0)]


def test_two_players_named_apart_are_two_counts():
    # no name in common: one player's completions are not another's
    assert not anchored(["Okafor completed 29 of 34 passes for 364 yards in the win at Dunmore."],
                        ["Lindqvist completed 28 of 41 passes for 329 yards and a touchdown."])
    # a person on each side, and not the same one
    assert not anchored(["Tomas Reyes scored 14 points as Port Alder beat Redmarsh."],
                        ["Ilkka Varis scored 12 points as Port Alder beat Redmarsh."])


def test_a_sentence_giving_both_figures_counts_two_things():
    # "two touchdowns" rushing and "three touchdowns" on returns: the other source's two is one of them
    assert not anchored(["Kaspar Lind rushed for 404 yards and two touchdowns, and scored three touchdowns on "
                         "punt returns for the Redmarsh Rovers."],
                        ["Kaspar Lind finished with 404 yards for the Redmarsh Rovers, scoring two touchdowns "
                         "on the ground."])


def test_a_count_the_story_gives_three_ways_is_only_possible():
    found = anchored(["Tomas Reyes scored 14 points for Port Alder in the semifinal."],
                     ["Tomas Reyes added 12 points for Port Alder in the semifinal."],
                     ["Tomas Reyes scored 17 points for Port Alder in the semifinal."])
    assert found and all(conf < 0.5 for _, conf in found)


def test_counts_after_killing_or_injuring_count_people_and_bounds_in_words_meet():
    found = anchored(["The quake struck the Lessa coast on Monday, injuring 40 people, the governor of Lessa said."],
                     ["The quake hit the Lessa coast on Monday, injuring 25, the governor of Lessa said."])
    assert found == [({"40", "25"}, 1.0)]
    # "at least seven" and "at least six" can both be true: a bound written in words is a bound
    found = anchored(["The quake struck the Lessa coast on Monday, killing at least seven people."],
                     ["The quake killed at least six people on the Lessa coast on Monday."])
    assert found and all(conf < 0.5 for _, conf in found)


def test_one_play_told_with_two_game_clocks():
    assert clocks(["Kicker Arne Dahl tied the game at 13-13 with a field goal with 10:03 to play in the third quarter."],
                  ["The Rovers came out and tied the game with 6:00 remaining in the third quarter."]) \
        == [{"10:03", "6:00"}]
    # two plays of one quarter share nothing but the clock's words
    assert not clocks(["Arne Dahl kicked a field goal with 10:03 to play in the third quarter."],
                      ["The Owls scored a touchdown with 6:00 remaining in the third quarter."])
    # an article giving two clocks of the period tells two moments: left to the aligned facts
    assert not clocks(["Arne Dahl tied the game with 10:03 to play in the third quarter.",
                       "The Rovers led again with 2:10 left in the third quarter."],
                      ["The Rovers tied the game with 6:00 remaining in the third quarter."])
    # one sentence giving two clocks tells two moments ("tied it with 14:05 left, then scored with 7:41 to go")
    assert not clocks(["Arne Dahl tied the game with 10:03 to play in the third quarter, then the Rovers led "
                       "with 2:10 to go."],
                      ["The Rovers tied the game with 6:00 remaining in the third quarter."])


def test_a_round_given_two_ways_in_one_wording():
    assert orders(["Harrow will play the winner of Friday's second semifinal between Dunmore and Kessling State."],
                  ["Harrow meets the winner of Friday's second quarter-final between Dunmore and Kessling State."]) \
        == [{"semifinal", "quarterfinal"}]
    # a short shared wording of function words ties nothing
    assert not orders(["Reyes scored in the first half of the game against Dunmore."],
                      ["Varis scored in the second half of the game against Dunmore."])
    # the same round in both
    assert not orders(["Harrow will play the winner of Friday's second semifinal between Dunmore and Kessling State."],
                      ["Harrow meets the winner of Friday's second semi-final between Dunmore and Kessling State."])


def test_twice_is_a_count_of_times_and_a_name_may_open_the_sentence():
    # "Vera" opens both sentences; the story writes it capitalised inside a sentence too
    found = anchored(["Vera married twice; her first marriage, to the sailor Ivo Brandt, lasted four years.",
                      "Friends of Vera Lind remembered her on Sunday."],
                     ["Vera was married three times but had no children."])
    assert found == [({"twice", "three"}, 1.0)]
    # without the name written anywhere else, a capitalised first word ties nothing
    assert not anchored(["Police arrested the driver twice in one week."],
                        ["Police arrested the driver three times."])


def test_a_count_since_a_month_is_of_another_period():
    found = anchored(["Police said Ivo Brandt had been arrested four times on theft charges."],
                     ["Ivo Brandt had been arrested three times since October on theft charges."])
    assert found and all(conf < 0.5 for _, conf in found)


def test_one_gun_given_two_calibres():
    found = found_by(calibre_conflicts,
                     ["Police said the suspect, Dario Fenn, turned toward the officers with a loaded .38-caliber revolver."],
                     ["Officers said the suspect pointed a .357 caliber revolver at them before they fired."],
                     ["Investigators recovered a .38 caliber revolver from the stoop where Fenn was shot."])
    assert {frozenset(v) for v, _ in found} == {frozenset({".38", ".357"})}
    assert all(conf == 1.0 for _, conf in found)


def test_an_article_naming_two_calibres_or_a_story_naming_three_disputes_nothing():
    # the officers' pistols and the suspect's revolver: one article names both calibres
    assert not found_by(calibre_conflicts,
                        ["Officers fired their 9mm pistols after the suspect drew a .38-caliber revolver."],
                        ["The suspect pointed a .38 caliber revolver at the officers."],
                        ["The officers carried 9mm pistols, the department said."])
    found = found_by(calibre_conflicts,
                     ["Police said the suspect carried a .38-caliber revolver into the bank."],
                     ["The suspect carried a .357 caliber revolver into the bank, police said."],
                     ["A .45-caliber handgun was carried into the bank by the suspect, police said."])
    assert found and all(conf < 0.5 for _, conf in found)


def test_a_plans_start_in_a_month_outside_the_season_given_elsewhere():
    found = found_by(schedule_conflicts,
                     ["The sequel is set to begin filming in August, the studio said."],
                     ["The studio wants to start the next film in the fall, a producer said."])
    assert [v for v, _ in found] == [{"August", "fall"}]


def test_a_month_inside_the_season_or_another_persons_plan_is_no_conflict():
    assert not found_by(schedule_conflicts,
                        ["The sequel is set to begin filming in October, the studio said."],
                        ["The studio wants to start the next film in the fall, a producer said."])
    assert not found_by(schedule_conflicts,
                        ["The sequel is set to begin filming in August, the studio said."],
                        ["The studio wants to start the next film in late summer, a producer said."])
    assert not found_by(schedule_conflicts,
                        ["The court said Halvorsen's trial will begin in March."],
                        ["The court said Brandt's trial will start in June."])


def test_a_share_is_keyed_by_what_it_measures():
    from storyline.compare.slots import story_slot_conflicts
    found = found_by(story_slot_conflicts,
                     ["Governor Ana Brel said inflation, at 5.1% in May, remained too high.",
                      "The Ostrian mark rose 0.3% against the euro."],
                     ["Prices rose 5.6% in the year to May, well above the 2% the bank aims for, Governor Ana Brel said."])
    assert [v for v, _ in found] == [{"5.1%", "5.6%"}]
    # twin: a share of another thing in the same story is no second value of it
    assert not found_by(story_slot_conflicts,
                        ["Governor Ana Brel said inflation, at 5.1% in May, remained too high."],
                        ["Unemployment stood at 5.6% in May, Governor Ana Brel said."])

"""A measure response as a FHIR R4 QuestionnaireResponse (JSON).

* ``questionnaire`` is the instrument's canonical URL (LOINC for PHQ-9 and
  GAD-7; a project-defined ``https://tandem.invalid/…`` URL for CSI-4 and
  GMSEX, see ``instruments.py``).
* Each item answer is a ``valueCoding`` (LOINC answer code, display, system)
  where the instrument has coded answers, else a ``valueInteger``.
* The total is one more item (for PHQ-9 and GAD-7 the LOINC total-score
  code, else ``total``) with a ``valueInteger``.
* No name, e-mail or other identity of the person is included: whoever
  imports it attaches the subject on their side.
"""

from __future__ import annotations

from tandem.measures.models import MeasureResponse


def questionnaire_response(response: MeasureResponse) -> dict:
    measure = response.measure
    items = []
    for item in measure.items:
        value = response.answers[item.link_id]
        option = item.option(value)
        if measure.answer_system and option is not None and option.code:
            answer = {"valueCoding": {"system": measure.answer_system, "code": option.code, "display": option.label}}
        else:
            answer = {"valueInteger": value}
        items.append({"linkId": item.link_id, "text": item.text, "answer": [answer]})
    items.append(
        {
            "linkId": measure.total_link_id,
            "text": f"{measure.title} total score",
            "answer": [{"valueInteger": response.total}],
        }
    )
    return {
        "resourceType": "QuestionnaireResponse",
        "id": f"tandem-measure-{response.pk}",
        "status": "completed",
        "questionnaire": measure.canonical,
        "authored": response.completed_at.isoformat(timespec="seconds"),
        "item": items,
    }

"""Background work for notifications: thin, loads by id and calls the action."""

from django.tasks import task

from notifications import actions, digest


@task
def fan_out(dispatch_id: int) -> None:
    actions.do_fan_out(dispatch_id=dispatch_id)


@task
def send_deliveries(delivery_ids: list[int]) -> None:
    actions.do_send_deliveries(delivery_ids=delivery_ids)


@task
def send_digests(frequency: str) -> None:
    digest.do_send_digests(frequency=frequency)

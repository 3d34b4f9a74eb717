from celery import shared_task


@shared_task
def purge_expired_contacts():
    from residents.services import purge_expired_contacts as purge

    return purge()

from django.dispatch import Signal

# Sent inside the transition's database transaction: receivers' writes commit or roll back
# with it. kwargs: project, transition.
project_transitioned = Signal()
# Sent when facts that determine deadlines or subsidies change. kwargs: project.
project_facts_changed = Signal()

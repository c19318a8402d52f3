"""viewflow's frontend for the application process, mounted at /flow/ (config/urls.py): the window staff's
inbox, queue and archive. Only the flow app; logins are the project's own (/accounts/login/)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Site
from viewflow.workflow.flow import FlowAppViewset

from .flows import ApplicationFlow

site = Site(title=_("Application process"), viewsets=[FlowAppViewset(ApplicationFlow, icon="assignment")])

urlpatterns = [path("", site.urls)]

"""Dashboards (看板): plan vs actual, coverage, quotas, overdue, Fuyang 挂图作战."""

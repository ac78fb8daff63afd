"""The parts of the fault trial of email notifications (bench/faults.py runs it): the mail server
stand-in, the processes of the system, the users, the /readyz probe and the report."""

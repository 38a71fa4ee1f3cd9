"""Work that runs beside requests, not inside one: web2py's cron and the scheduler's workers."""

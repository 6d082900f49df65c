"""The coaching loop: agents acknowledge or dispute reviews, leads coach in sessions, graders are graded."""

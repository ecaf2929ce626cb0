# Notifications and their messages (raised by changes and by the background task).
notifications-title = Notifications
notifications-none = No notifications.
notifications-new = New
notifications-read-all = Mark all read
notifications-all-read = All marked read.
notify-plan-returned = Your targets in “{ $title }” were returned: revise and resubmit
notify-report-late = The progress report on “{ $title }” is late (due { $date })
notify-report-late-acting = The progress report you make for { $name } on “{ $title }” is late (due { $date })
notify-report-returned = Your progress report on “{ $title }” was returned: revise and resubmit
notify-slip-issued = The supervision item “{ $title }” has a { $name }: answer by { $date }
notify-post-vacant = Both A and B of the post “{ $title }” are away (vacant post): arrange cover
notify-signin-failures = { $count ->
    [one] 1 failed sign-in to your account in a short time: if it was not yours, change your password and tell the system administrator
   *[other] { $count } failed sign-ins to your account in a short time: if they were not yours, change your password and tell the system administrator
}

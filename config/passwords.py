"""Password reset: Django's views, with the e-mail queued (config.mail) and the requests rate-limited."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.template import loader

from .mail import send_after_commit
from .ratelimit import allow, limited


class QueuedPasswordResetForm(PasswordResetForm):
    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        send_after_commit(subject=subject, body=body, to=[to_email])


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm

    def post(self, request, *args, **kwargs):
        if refused := limited(request, "password_reset"):
            return refused
        # Per address too, so one inbox cannot be flooded from many networks; the answer stays the same.
        email = request.POST.get("email", "").strip().lower()[:254]
        if email and not allow("password_reset_email", email, limit=3, window=3600):
            return self.form_valid_without_sending()
        return super().post(request, *args, **kwargs)

    def form_valid_without_sending(self):
        from django.shortcuts import redirect

        return redirect(self.get_success_url())

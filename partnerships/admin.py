from django.contrib import admin

from .models import Contact, FlowRun, LaunchItem, LaunchPlan, Partner, Partnership, PartnershipEvent


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "category"]
    list_filter = ["organization"]
    search_fields = ["name"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "partner", "organization"]
    search_fields = ["name", "email"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "partner", "organization", "tier", "phase", "status", "owner"]
    list_filter = ["organization", "tier", "phase", "status"]
    search_fields = ["name", "partner__name"]
    # Phase and status change only through the services, so the timeline stays true.
    readonly_fields = ["phase", "status", "phase_started_on", "launched_on"]


@admin.register(PartnershipEvent)
class PartnershipEventAdmin(admin.ModelAdmin):
    list_display = ["summary", "partnership", "kind", "actor", "created_at"]
    list_filter = ["kind"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FlowRun)
class FlowRunAdmin(admin.ModelAdmin):
    list_display = ["kind", "partnership", "recommendation", "final_choice", "decided_by"]
    list_filter = ["kind"]

    def has_change_permission(self, request, obj=None):
        return False


class LaunchItemInline(admin.TabularInline):
    model = LaunchItem
    extra = 0


@admin.register(LaunchPlan)
class LaunchPlanAdmin(admin.ModelAdmin):
    list_display = ["partnership", "launch_on"]
    inlines = [LaunchItemInline]

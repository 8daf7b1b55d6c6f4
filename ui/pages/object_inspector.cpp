#include "pages/object_inspector.h"

#include "charts/thumbnail_cache.h"
#include "controllers/object_alignment_controller.h"

#include <QLabel>
#include <QPixmap>
#include <QSet>
#include <QVBoxLayout>
#include <cmath>

using namespace alignscope;

namespace {

QString number(double value)
{
    return std::isfinite(value) ? QString::number(value, 'f', 3) : QStringLiteral("—");
}

} // namespace

ObjectInspector::ObjectInspector(ObjectAlignmentController* controller, ThumbnailCache* thumbnails,
                                 QWidget* parent)
    : QWidget(parent), m_controller(controller), m_thumbnails(thumbnails), m_image(new QLabel(this)),
      m_details(new QLabel(this))
{
    m_image->setObjectName(QStringLiteral("objectImage"));
    m_image->setFixedSize(96, 96);
    m_image->setAlignment(Qt::AlignCenter);
    m_details->setObjectName(QStringLiteral("objectDetails"));
    m_details->setTextFormat(Qt::RichText);
    m_details->setWordWrap(true);
    m_details->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    auto* layout = new QVBoxLayout(this); // the image above: the text gets the panel's width
    layout->addWidget(m_image, 0, Qt::AlignLeft);
    layout->addWidget(m_details, 1);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
    connect(m_details, &QLabel::linkActivated, this, [this](const QString& link) {
        bool ok = false;
        const int model = link.section(QLatin1Char(':'), 1).toInt(&ok);
        if (link.startsWith(QLatin1String("triplets:")) && ok) openTriplets(model);
    });
    connect(controller, &ObjectAlignmentController::alignmentChanged, this, &ObjectInspector::refresh);
    connect(thumbnails, &ThumbnailCache::thumbnailReady, this, &ObjectInspector::refresh);
    refresh();
}

void ObjectInspector::setObject(int stimulus)
{
    m_object = stimulus;
    refresh();
}

QString ObjectInspector::text() const
{
    return m_details->text();
}

void ObjectInspector::openTriplets(int model)
{
    const auto analysis = m_controller->analysis();
    if (m_object < 0 || !analysis || model < 0 || size_t(model) >= analysis->models.size()) return;
    Q_EMIT tripletsRequested(m_object, model);
}

void ObjectInspector::refresh()
{
    const auto analysis = m_controller->analysis();
    const auto result = m_controller->result();
    if (!analysis || !result || m_object < 0 || size_t(m_object) >= analysis->stimuli->size()) {
        m_image->clear();
        m_details->setText(tr("Select an object in the table to see how each model and people see it."));
        return;
    }
    const StimulusSet& stimuli = *analysis->stimuli;
    const size_t object = size_t(m_object);
    const auto name = [&stimuli](std::int64_t s) {
        return QString::fromStdString(stimuli.displayName(size_t(s))).toHtmlEscaped();
    };
    const QString path =
        object < stimuli.imagePaths.size() ? QString::fromStdString(stimuli.imagePaths[object]) : QString();
    const QImage image = path.isEmpty() ? QImage() : m_thumbnails->get(path);
    if (image.isNull())
        m_image->clear();
    else
        m_image->setPixmap(QPixmap::fromImage(image));

    QString html = QStringLiteral("<h3>%1</h3><p>ID %2")
                       .arg(name(m_object), QString::fromStdString(stimuli.id(object)).toHtmlEscaped());
    if (object < stimuli.categories.size() && !stimuli.categories[object].empty())
        html += tr("; category %1").arg(QString::fromStdString(stimuli.categories[object]).toHtmlEscaped());
    const ObjectFailure& failure = result->alignment.allModelsWrong[object];
    html += tr("; in %1 triplets, every model wrong in %2 of them</p>")
                .arg(failure.triplets)
                .arg(failure.allWrong);
    const bool withNeighbours = !result->neighbours.empty();
    // One block per model: its accuracy, then its neighbours beside people's (a narrow panel reads blocks
    // better than a wide table).
    for (size_t m = 0; m < analysis->models.size(); ++m) {
        const ObjectAccuracy& accuracy = result->alignment.models[m][object];
        html += tr("<p><b>%1</b>: accuracy %2 (%3 of %4 triplets; 95% interval [%5, %6])")
                    .arg(QString::fromStdString(analysis->models[m].name).toHtmlEscaped(),
                         number(accuracy.accuracy))
                    .arg(accuracy.correct)
                    .arg(accuracy.triplets)
                    .arg(number(accuracy.ci95.low), number(accuracy.ci95.high));
        if (accuracy.triplets > accuracy.correct)
            html += tr(" — <a href=\"triplets:%1\">its %2 wrong triplets with this object</a>")
                        .arg(m)
                        .arg(accuracy.triplets - accuracy.correct);
        if (withNeighbours) {
            const ObjectNeighbours& neighbours = result->neighbours[m].objects[object];
            const QSet<std::int64_t> human(neighbours.human.begin(), neighbours.human.end());
            const QSet<std::int64_t> model(neighbours.model.begin(), neighbours.model.end());
            // Shared neighbours in bold in both lists.
            const auto list = [&](const std::vector<std::int64_t>& order, const QSet<std::int64_t>& other) {
                QStringList names;
                for (std::int64_t s : order)
                    names << (other.contains(s) ? QStringLiteral("<b>%1</b>").arg(name(s)) : name(s));
                return names.join(QStringLiteral(", "));
            };
            html += tr("<br>%1 nearest under the model: %2<br>under %3: %4<br>shared %5 (J@%1 %6), "
                       "Spearman's rho of its rows %7")
                        .arg(result->neighbours[m].k)
                        .arg(list(neighbours.model, human),
                             QString::fromStdString(result->humanName).toHtmlEscaped(),
                             list(neighbours.human, model))
                        .arg(neighbours.shared)
                        .arg(number(neighbours.jaccard), number(neighbours.spearman));
        }
        html += QStringLiteral("</p>");
    }
    if (!withNeighbours)
        html += tr("<p>Open a concept space (VICE) to compare each model's neighbours with people's.</p>");
    m_details->setText(html);
}
